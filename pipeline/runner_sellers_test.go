package pipeline

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// listingBy is a listing whose record also names its seller, as read by a
// listings source with sellers: in its mapping.
func listingBy(id, seller, name, country string) rec {
	r := listing(id)
	r["marketplace"] = "alibaba"
	if seller != "" {
		r[SellerColumnPrefix+"seller_id"] = seller
		r[SellerColumnPrefix+"marketplace"] = "alibaba"
		r[SellerColumnPrefix+"name"] = name
		r[SellerColumnPrefix+"country"] = country
		r[SellerColumnPrefix+"updated_at"] = "2026-12-01T00:00:00Z"
	}
	return r
}

// alibabaWithSellers is a listings source that names the seller of each
// listing: four listing records naming two sellers (one of them twice in
// the same state, once more under a new name) and one naming none.
func alibabaWithSellers() *fakeExtractor {
	return &fakeExtractor{name: "alibaba", dataset: Listings, withSellers: true, batches: [][]rec{
		{listingBy("a1", "s1", "Gul Textiles", "PK"), listingBy("a2", "s2", "Noor Leather", "PK")},
		{listingBy("a3", "s1", "Gul Textiles", "PK"), listingBy("a4", "s1", "Gul Textiles Ltd", "PK"), listingBy("a5", "", "", "")},
	}}
}

// A listings source whose records name their sellers yields a sellers
// step too, staged after the listings it came from (the sellers are only
// known once the listings are read), holding each seller state once, and
// its counts reconcile like any source's.
func TestRunnerStagesSellersNamedByListingsAfterThem(t *testing.T) {
	h := newHarness(t)
	h.r.Extractors = []Extractor{alibabaWithSellers(), h.fxSource}
	sum, err := h.run(t.Context())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	want := []string{"BeginRun", "State", "ReadFXRates", "Stage fx_rates", "Stage listings", "Stage sellers",
		"Merge", "BuildMarts", "RunDataTests", "Commit", "FinishRun ok", "Publish"}
	if got := h.wh.callsOf(); !slices.Equal(got, want) {
		t.Errorf("calls =\n%v\nwant\n%v", got, want)
	}
	if len(sum.Steps) != 3 || sum.Steps[1].Dataset != Listings || sum.Steps[2].Dataset != Sellers {
		t.Fatalf("steps = %+v, want fx_rates, listings, sellers", sum.Steps)
	}
	listings, sellers := sum.Steps[1], sum.Steps[2]
	if listings.Extracted != 5 || listings.Merge.Loaded != 5 || !listings.Reconciles() {
		t.Errorf("listings step = %+v, want all 5 listing records loaded", listings)
	}
	// s1 as Gul Textiles (twice, kept once), s1 as Gul Textiles Ltd, s2:
	// three seller states, two sellers after the merge.
	if sellers.Source != "alibaba" || sellers.Extracted != 3 || sellers.Merge.Loaded != 2 ||
		sellers.Merge.Duplicates != 1 || !sellers.Reconciles() {
		t.Errorf("sellers step = %+v, want 3 states of 2 sellers from alibaba, reconciled", sellers)
	}
	if got := h.phases[:3]; !slices.Equal(got, []string{"extract fx_rates", "extract listings", "extract sellers"}) {
		t.Errorf("phases = %v, want sellers extracted after listings", got)
	}
}

// Sellers named by listings join the sellers of a sellers source in one
// step, after them.
func TestRunnerSellersStepJoinsSellersSourcesAndListings(t *testing.T) {
	h := newHarness(t)
	daraz := &fakeExtractor{name: "daraz-sellers", dataset: Sellers, batches: [][]rec{
		{{"seller_id": "d1", "marketplace": "daraz", "country": "PK", "updated_at": "2026-12-01T00:00:00Z"}}}}
	h.r.Extractors = []Extractor{alibabaWithSellers(), daraz, h.fxSource}
	sum, err := h.run(t.Context())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	s := sum.Steps[len(sum.Steps)-1]
	if s.Dataset != Sellers || s.Source != "daraz-sellers,alibaba" || s.Extracted != 4 || s.Merge.Loaded != 3 || !s.Reconciles() {
		t.Errorf("sellers step = %+v, want daraz-sellers' one seller and alibaba's three states of two", s)
	}
}

// The sellers a listings source names answer to its reject guard apart
// from its listings: every seller rejected fails the run though every
// listing loaded.
func TestRunnerGuardsSellersNamedByListingsOnTheirOwn(t *testing.T) {
	h := newHarness(t)
	ex := &fakeExtractor{name: "alibaba", dataset: Listings, withSellers: true, batches: [][]rec{
		{listingBy("a1", "s1", "Gul Textiles", badPrefix+"unknown_country"), listingBy("a2", "s2", "Noor", badPrefix+"unknown_country")}}}
	h.r.Extractors = []Extractor{ex}
	_, err := h.run(t.Context())
	if ExitCode(err) != ExitDataTests || !strings.Contains(err.Error(), "source alibaba (sellers) loaded 0 of 2 records, all rejected (unknown_country 2)") {
		t.Fatalf("err = %v, want the sellers' guard to fail the run with exit 5", err)
	}
	if strings.Contains(err.Error(), "(listings)") {
		t.Errorf("err = %v: the listings, all loaded, were blamed too", err)
	}
}

// A sellers: mapping that finds no seller in any record (a seller_id path
// that matches nothing) fails the run rather than load the listings and
// quietly no sellers.
func TestRunnerFailsWhenListingsNameNoSeller(t *testing.T) {
	h := newHarness(t)
	ex := &fakeExtractor{name: "alibaba", dataset: Listings, withSellers: true,
		batches: [][]rec{{listingBy("a1", "", "", ""), listingBy("a2", "", "", "")}}}
	h.r.Extractors = []Extractor{ex}
	_, err := h.run(t.Context())
	if ExitCode(err) != ExitDataTests || !strings.Contains(err.Error(), "source alibaba named no seller in any of its 2 listing records") {
		t.Fatalf("err = %v, want exit 5 naming the mapping", err)
	}
}

// When the listings fail, the sellers collected from them are never
// staged, and nothing they held is leaked (the harness's allocator checks).
func TestRunnerDropsCollectedSellersWhenListingsFail(t *testing.T) {
	h := newHarness(t)
	h.r.Extractors = []Extractor{alibabaWithSellers(), h.fxSource}
	h.wh.fail["Stage listings"] = errors.New("disk full")
	if _, err := h.run(t.Context()); err == nil {
		t.Fatal("run succeeded")
	}
	if slices.Contains(h.wh.callsOf(), "Stage sellers") {
		t.Errorf("calls = %v: sellers staged after their listings failed", h.wh.callsOf())
	}
}

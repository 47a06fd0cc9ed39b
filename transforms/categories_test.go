package transforms

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

// A config's own category names map first (over the built-in spellings),
// hs_chapters applies to mapped categories too, and unmapped names follow
// the policy: rejected with a hint, or stored as other with chapter 0.
func TestFactoryCategoryMapping(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	names := map[string]string{"Men's & Boys' Fashion": "apparel", "Kids Bags": "other", "Clothing": "other", "Laptop Bags": "leather_goods"}
	recs := []rec{
		listingRec("A", "category", "men's &  BOYS' fashion"),
		listingRec("B", "category", "Kids Bags"),
		listingRec("C", "category", "clothing"),    // mapped: wins over the built-in spelling of apparel
		listingRec("D", "category", "Bed Linen"),   // not mapped: built in
		listingRec("E", "category", "Laptop Bags"), // mapped, chapter overridden
		listingRec("F", "category", "Groceries"),   // neither
	}
	for _, policy := range []string{"", pipeline.UnknownCategoryReject, pipeline.UnknownCategoryOther} {
		f, err := NewFactory(Options{Categories: names, UnknownCategory: policy, HSChapters: map[string]int{"leather_goods": 43}})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := f(pipeline.Listings, "bd", testFX(t))
		if err != nil {
			t.Fatal(err)
		}
		out := apply(t, mem, tr, pipeline.Listings, recs)
		want := map[string]struct {
			cat, group string
			ch         int32
		}{
			"A": {"apparel", "textiles", 61}, "B": {"other", "other", 0}, "C": {"other", "other", 0},
			"D": {"home_textiles", "textiles", 63}, "E": {"leather_goods", "leather", 43},
		}
		if policy == pipeline.UnknownCategoryOther {
			want["F"] = want["B"]
		}
		good := goodByKey(t, out.good, "listing_id")
		for id, w := range want {
			i, ok := good[id]
			if !ok {
				t.Errorf("policy %q: %s rejected", policy, id)
				continue
			}
			if c, g, ch := cell(t, out.good, "category", i), cell(t, out.good, "category_group", i), cell(t, out.good, "hs_chapter", i); c != w.cat || g != w.group || ch != w.ch {
				t.Errorf("policy %q: %s = %v/%v/%v, want %+v", policy, id, c, g, ch, w)
			}
		}
		rej := rejectsByKey(t, out.rejects, pipeline.Listings, "bd")
		if policy == pipeline.UnknownCategoryOther {
			if len(rej) != 0 {
				t.Errorf("policy other: rejects %v", rej)
			}
		} else if r := rej["alibaba.com/F"]; !strings.HasPrefix(r.reason, `[unknown_category] category "Groceries"`) ||
			!strings.Contains(r.reason, "normalise.categories") || len(rej) != 1 {
			t.Errorf("policy %q: rejects %v; want only F, unknown_category, pointing at normalise.categories", policy, rej)
		}
		out.release()
	}
}

func TestFactoryRejectsBadCategoryOptions(t *testing.T) {
	t.Parallel()
	_, err := NewFactory(Options{Categories: map[string]string{"Kids Bags": "bags"}, UnknownCategory: "guess",
		HSChapters: map[string]int{"other": 42}})
	for _, w := range []string{`"bags"`, `"guess"`, "other has no HS chapter"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error = %v, want it to name %s", err, w)
		}
	}
}

// A listing may name no seller: it loads with a NULL seller_id (an
// unknown seller). A listing that names no category follows
// unknown_category as an unmapped name does: rejected as missing, saying
// what to do, or stored as other with the source logged once.
func TestListingsWithoutSellerOrCategory(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(prev)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := []rec{
		listingRec("no-seller", "seller_id", "<null>"),
		listingRec("blank-seller", "seller_id", "  "),
		listingRec("no-category", "category", "<null>"),
		listingRec("blank-category", "category", " "),
		listingRec("no-category-bad-market", "category", "<null>", "marketplace", "ebay.com"),
	}
	for _, policy := range []string{pipeline.UnknownCategoryReject, pipeline.UnknownCategoryOther} {
		source := "top_selling_" + policy
		f, err := NewFactory(Options{UnknownCategory: policy})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := f(pipeline.Listings, source, testFX(t))
		if err != nil {
			t.Fatal(err)
		}
		out := apply(t, mem, tr, pipeline.Listings, recs)
		good := goodByKey(t, out.good, "listing_id")
		for _, id := range []string{"no-seller", "blank-seller"} {
			if i, ok := good[id]; !ok || cell(t, out.good, "seller_id", i) != nil {
				t.Errorf("policy %s: %s loaded %v with seller_id %v, want loaded with NULL", policy, id, ok, cellIf(t, out, good, id, "seller_id"))
			}
		}
		rej := rejectsByKey(t, out.rejects, pipeline.Listings, source)
		// Another field's problem is still the reason it is given.
		if r := rej["ebay.com/no-category-bad-market"]; r.field != "marketplace" {
			t.Errorf("policy %s: bad marketplace and no category rejected on %q, want marketplace", policy, r.field)
		}
		for _, id := range []string{"no-category", "blank-category"} {
			if policy == pipeline.UnknownCategoryOther {
				if i, ok := good[id]; !ok || cell(t, out.good, "category", i) != "other" || cell(t, out.good, "hs_chapter", i) != int32(0) {
					t.Errorf("policy other: %s loaded %v as %v, want category other with chapter 0", id, ok, cellIf(t, out, good, id, "category"))
				}
				continue
			}
			r, ok := rej["alibaba.com/"+id]
			if !ok || r.field != "category" || !strings.HasPrefix(r.reason, "[missing] category is missing") ||
				!strings.Contains(r.reason, "normalise.unknown_category: other") {
				t.Errorf("policy reject: %s reject %+v, want missing on category pointing at unknown_category", id, r)
			}
		}
		out.release()
	}
	var lines []string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "without a category") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "source=top_selling_other") {
		t.Errorf("log lines = %q; want one, for the source that stored listings as other", lines)
	}
}

// cellIf is column name of the good row with listing_id id, or nil when
// the listing was rejected, for failure messages.
func cellIf(t *testing.T, a applied, good map[string]int, id, name string) any {
	t.Helper()
	i, ok := good[id]
	if !ok {
		return nil
	}
	return cell(t, a.good, name, i)
}

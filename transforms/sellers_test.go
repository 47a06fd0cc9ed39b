package transforms

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/exportpipe/exportpipe/pipeline"
)

func sellerRec(id, country string, kv ...string) rec {
	r := rec{"seller_id": id, "marketplace": "alibaba.com", "name": " Lahore Looms ", "country": country,
		"city": "Lahore", "joined_at": "2019-03-01T00:00:00Z", "updated_at": mayFirst}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "<null>" {
			delete(r, kv[i])
			continue
		}
		r[kv[i]] = kv[i+1]
	}
	return r
}

func TestSellers(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	good := map[string]string{ // seller_id -> want country
		"S-PK1": "PK", "S-PK2": "PK", "S-PK3": "PK", "S-PK4": "PK", "S-CN1": "CN", "S-CN2": "CN", "S-TW": "TW",
		"S-HK": "HK", "S-TR": "TR", "S-VN": "VN", "S-AE": "AE", "S-BD": "BD", "S-KR": "KR",
	}
	rows := []rec{
		sellerRec("S-PK1", "Pakistan"), sellerRec("S-PK2", "Pakistan "), sellerRec("S-PK3", "586"),
		sellerRec("S-PK4", "Islamic Republic of Pakistan", "joined_at", "<null>"),
		sellerRec("S-CN1", "China (Mainland)"), sellerRec("S-CN2", "Mainland China"), sellerRec("S-TW", "Taiwan, China"),
		sellerRec("S-HK", "Hong Kong S.A.R."), sellerRec("S-TR", "Türkiye"), sellerRec("S-VN", "Viet Nam"),
		sellerRec("S-AE", "UAE"), sellerRec("S-BD", "BD", "marketplace", "daraz.com.bd"), sellerRec("S-KR", "Korea, Republic of"),
		sellerRec("S-X1", "Narnia"), sellerRec("S-X2", ""), sellerRec("S-X3", "PK", "joined_at", "2025-02-30"),
		sellerRec("S-X4", "PK", "updated_at", "<null>"), sellerRec("S-X5", "PK", "marketplace", "etsy.com"),
	}
	out := apply(t, mem, NewSellers("demo"), pipeline.Sellers, rows)
	defer out.release()
	idx := goodByKey(t, out.good, "seller_id")
	for id, want := range good {
		i, ok := idx[id]
		if !ok {
			t.Errorf("seller %s rejected, want country %s", id, want)
			continue
		}
		if got := cell(t, out.good, "country", i); got != want {
			t.Errorf("seller %s country = %v, want %s", id, got, want)
		}
		if got := cell(t, out.good, "name", i); got != "Lahore Looms" {
			t.Errorf("seller %s name = %q, want trimmed", id, got)
		}
	}
	if i := idx["S-PK4"]; cell(t, out.good, "joined_at", i) != nil {
		t.Errorf("joined_at of S-PK4 = %v, want null", cell(t, out.good, "joined_at", i))
	}
	wantRejects := map[string][2]string{
		"alibaba.com/S-X1": {"country", `[unknown_country] country "Narnia": unknown country "Narnia"`},
		"alibaba.com/S-X2": {"country", "[missing] country is missing"},
		"alibaba.com/S-X3": {"joined_at", `[bad_time] joined_at "2025-02-30": invalid timestamp "2025-02-30"`},
		"alibaba.com/S-X4": {"updated_at", "[missing] updated_at is missing"},
		"etsy.com/S-X5":    {"marketplace", `[unknown_marketplace] marketplace "etsy.com": not one of alibaba.com, daraz.com.bd, daraz.pk`},
	}
	checkRejects(t, out, pipeline.Sellers, "demo", wantRejects)
}

// checkRejects compares a rejects batch with key -> {field, reason}.
func checkRejects(t *testing.T, out applied, d pipeline.Dataset, source string, want map[string][2]string) {
	t.Helper()
	got := rejectsByKey(t, out.rejects, d, source)
	if len(got) != len(want) {
		t.Errorf("%d rejects, want %d: %+v", len(got), len(want), got)
	}
	for key, w := range want {
		r, ok := got[key]
		if !ok {
			t.Errorf("no reject for %q", key)
			continue
		}
		if r.field != w[0] || r.reason != w[1] {
			t.Errorf("reject %q = %q %q, want %q %q", key, r.field, r.reason, w[0], w[1])
		}
	}
}

// Seller names and listing titles are written in the marketplace's own
// scripts. Cleaning keeps the joiners those scripts spell with and drops
// only the invisible characters that spell nothing.
func TestNamesAndTitlesKeepTheirScript(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	names := []struct{ id, country, in, want string }{
		{"S-UR", "Pakistan", "کراچی کلاتھ\u200cہاؤس", "کراچی کلاتھ\u200cہاؤس"},           // Urdu non-joiner inside a word
		{"S-FA", "Pakistan", "\u200cمی\u200cخواهم\u200c", "می\u200cخواهم"},               // Persian; junk joiners at both ends
		{"S-BN", "Bangladesh", "র\u200d্যাংস ইলেকট্রনিক্স", "র\u200d্যাংস ইলেকট্রনিক্স"}, // Bengali ra-phala
		{"S-AR", "UAE", "دار العطور\u200f ", "دار العطور"},                               // Arabic with a stray RLM
		{"S-CN", "China", "义乌市纺织品有限公司\u200d", "义乌市纺织品有限公司"},                              // Chinese; trailing joiner is junk
	}
	rows := make([]rec, len(names))
	for i, n := range names {
		rows[i] = sellerRec(n.id, n.country, "name", n.in)
	}
	out := apply(t, mem, NewSellers("demo"), pipeline.Sellers, rows)
	defer out.release()
	idx := goodByKey(t, out.good, "seller_id")
	for _, n := range names {
		if got := cell(t, out.good, "name", idx[n.id]); got != n.want {
			t.Errorf("seller %s name = %+q, want %+q", n.id, got, n.want)
		}
	}

	tr, err := NewListings("daraz", testFX(t))
	if err != nil {
		t.Fatal(err)
	}
	titles := []struct{ id, in, want string }{
		{"T-UR", "خوش\u200cبو عطر ١٠٠ ملی لیٹر", "خوش\u200cبو عطر ١٠٠ ملی لیٹر"},
		{"T-BN", "ওয়াল র\u200d্যাক  কাঠের", "ওয়াল র\u200d্যাক কাঠের"},
		{"T-ZH", "纯棉T恤 男士\u200d\u200d短袖", "纯棉T恤 男士\u200d短袖"},
		{"T-AR", "\u200dعطر العود الملكي", "عطر العود الملكي"},
	}
	rows = rows[:0]
	for _, tt := range titles {
		rows = append(rows, listingRec(tt.id, "title", tt.in))
	}
	lout := apply(t, mem, tr, pipeline.Listings, rows)
	defer lout.release()
	lidx := goodByKey(t, lout.good, "listing_id")
	for _, tt := range titles {
		if got := cell(t, lout.good, "title", lidx[tt.id]); got != tt.want {
			t.Errorf("listing %s title = %+q, want %+q", tt.id, got, tt.want)
		}
	}
}

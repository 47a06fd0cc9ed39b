package transforms

import (
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

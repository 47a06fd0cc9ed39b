package parse

import (
	"errors"
	"testing"

	"github.com/exportpipe/exportpipe/pipeline"
)

func TestCategory(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"apparel":              {"Apparel", "Garments", "Clothing", "Apparel & Accessories", "apparel", " APPAREL "},
		"home_textiles":        {"Home Textiles", "home textiles", "Home Textile", "Bed Linen", "Towels", "home_textiles"},
		"fabric":               {"Fabric", "Fabrics", "Cotton Fabric"},
		"yarn":                 {"Yarn", "Cotton Yarn"},
		"sports_goods":         {"Sports Goods", "Sporting Goods", "Sports & Entertainment"},
		"surgical_instruments": {"Surgical Instruments", "Medical Instruments"},
		"leather_goods":        {"Leather Goods", "Leather Products"},
		"footwear":             {"Footwear", "Shoes"},
		"rice":                 {"Rice", "Basmati Rice"},
		"furniture":            {"Furniture"},
		"handicrafts":          {"Handicrafts", "Handicraft"},
		"electronics":          {"Electronics", "Consumer Electronics"},
	}
	for want, ins := range tests {
		for _, in := range ins {
			t.Run(in, func(t *testing.T) {
				t.Parallel()
				got, err := Category(in)
				if err != nil || got.Slug != want {
					t.Errorf("Category(%q) = %q, %v; want %q", in, got.Slug, err, want)
				}
			})
		}
	}
	for _, in := range []string{"Misc", "N/A", "", "Apparel Misc"} {
		t.Run("bad "+in, func(t *testing.T) {
			t.Parallel()
			if _, err := Category(in); !errors.Is(err, ErrUnknownCategory) && !errors.Is(err, ErrEmpty) {
				t.Errorf("Category(%q) error = %v, want ErrUnknownCategory", in, err)
			}
		})
	}
}

func FuzzCategory(f *testing.F) {
	f.Add("Apparel & Accessories")
	f.Add("N/A")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Category(s)
		if err != nil {
			return
		}
		if _, ok := pipeline.CategoryBySlug(c.Slug); !ok {
			t.Fatalf("Category(%q) = %q: not canonical", s, c.Slug)
		}
	})
}

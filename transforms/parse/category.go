package parse

import (
	"fmt"
	"strings"

	"github.com/exportpipe/exportpipe/pipeline"
)

// categoryVariants maps folded spellings (see fold) to canonical slugs.
// Each slug and its display name are added from pipeline.Categories too.
var categoryVariants = map[string]string{
	"garments": "apparel", "garment": "apparel", "clothing": "apparel", "clothes": "apparel",
	"apparel and accessories": "apparel",
	"home textile":            "home_textiles", "bed linen": "home_textiles", "bedding": "home_textiles",
	"towels": "home_textiles", "towel": "home_textiles",
	"fabrics": "fabric", "cotton fabric": "fabric", "textile fabric": "fabric",
	"cotton yarn": "yarn", "yarns": "yarn",
	"sporting goods": "sports_goods", "sports and entertainment": "sports_goods", "sports goods": "sports_goods",
	"medical instruments": "surgical_instruments", "surgical instrument": "surgical_instruments",
	"leather products": "leather_goods", "leather": "leather_goods",
	"shoes": "footwear", "basmati rice": "rice", "handicraft": "handicrafts",
	"consumer electronics": "electronics",
}

var categoryIndex = buildCategoryIndex()

func buildCategoryIndex() map[string]pipeline.Category {
	m := make(map[string]pipeline.Category, len(categoryVariants)+2*len(pipeline.Categories()))
	for _, c := range pipeline.Categories() {
		m[fold(c.Slug)] = c // "home_textiles" folds to "home textiles"
		m[fold(c.Name)] = c
	}
	for k, slug := range categoryVariants {
		c, ok := pipeline.CategoryBySlug(slug)
		if !ok {
			panic("parse: category variant " + k + " names unknown slug " + slug)
		}
		m[k] = c
	}
	return m
}

// Category maps a category as marketplaces write it ("Garments",
// "Apparel & Accessories", " home textiles ") to a canonical category.
func Category(s string) (pipeline.Category, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return pipeline.Category{}, fmt.Errorf("%w: category", ErrEmpty)
	}
	if c, ok := categoryIndex[fold(s)]; ok {
		return c, nil
	}
	return pipeline.Category{}, fmt.Errorf("%w %q", ErrUnknownCategory, s)
}

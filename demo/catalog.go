package demo

import (
	"github.com/exportpipe/exportpipe/pipeline"
)

// moqKind is how a category's minimum order is counted.
type moqKind uint8

const (
	moqPieces moqKind = iota
	moqSets
	moqPairs
	moqTon
	moqKg
	moqMeters
	moqDozens
)

// product describes what one category's listings look like: how titles are
// built, what a wholesale unit costs on alibaba.com (USD) and at retail on
// Daraz (PKR), and how minimum orders are counted.
type product struct {
	adjectives, nouns []string
	usdLo, usdHi      float64
	units             []string // "" prices a lot or a ton, with no unit
	pkrLo, pkrHi      float64
	moq               []moqKind
}

var products = map[string]product{
	"apparel": {
		[]string{"Men's Cotton", "Women's Embroidered", "Custom Logo", "Kids", "Unisex Fleece", "Women's Lawn", "Men's Slim Fit", "Organic Cotton"},
		[]string{"Polo Shirt", "T-Shirt", "Hoodie", "Shalwar Kameez 3pc", "Denim Jeans", "Kurta", "Tracksuit", "Work Uniform", "Sweatshirt"},
		1.8, 22, []string{"Piece"}, 700, 6500, []moqKind{moqPieces, moqPieces, moqDozens}},
	"home_textiles": {
		[]string{"100% Cotton", "Egyptian Cotton", "Jacquard", "Percale 300TC", "Terry", "Hotel Quality", "Printed", "Microfiber"},
		[]string{"Bath Towel Set 6pcs", "Bed Sheet Set King Size", "Duvet Cover Set", "Kitchen Towels 3pcs", "Bathrobe", "Pillow Covers 2pcs", "Beach Towel", "Quilt Cover"},
		1.2, 35, []string{"Piece", "Set"}, 600, 9000, []moqKind{moqPieces, moqSets}},
	"fabric": {
		[]string{"Cotton", "Polyester Cotton", "Denim", "Khaddar", "Lawn", "Twill", "Canvas", "Greige"},
		[]string{"Fabric 58\" Width", "Fabric 12oz", "Fabric for Garments", "Woven Fabric", "Printed Fabric"},
		0.7, 6, []string{"Meter"}, 250, 1800, []moqKind{moqMeters}},
	"yarn": {
		[]string{"Ne 20/1", "Ne 30/1", "Ne 40/1", "Ne 10/1 Open End", "Ne 16/1"},
		[]string{"Combed Cotton Yarn", "Carded Cotton Yarn", "Polyester Cotton Yarn", "Viscose Yarn", "Recycled Cotton Yarn"},
		1800, 4200, []string{""}, 400, 2500, []moqKind{moqTon, moqKg}},
	"sports_goods": {
		[]string{"Hand Stitched", "Thermo Bonded", "Professional", "Custom Logo", "Training", "Genuine Leather"},
		[]string{"Match Football Size 5", "Cricket Ball", "Boxing Gloves 12oz", "Goalkeeper Gloves", "Cricket Bat English Willow", "Hockey Stick", "Rugby Ball", "MMA Gloves"},
		2.5, 45, []string{"Piece", "Set"}, 500, 16000, []moqKind{moqPieces, moqPairs, moqSets}},
	"surgical_instruments": {
		[]string{"Stainless Steel", "German Grade", "Tungsten Carbide", "Reusable", "Premium"},
		[]string{"Metzenbaum Scissors 14cm", "Dental Extraction Forceps Set", "Needle Holder 16cm", "Tissue Forceps", "Scalpel Handle No. 3", "Artery Forceps Curved", "Diagnostic Set 5pcs"},
		0.9, 25, []string{"Piece", "Set"}, 300, 6000, []moqKind{moqPieces, moqSets}},
	"leather_goods": {
		[]string{"Genuine Leather", "Cowhide", "Sheepskin", "Vintage", "Handmade"},
		[]string{"Men's Wallet", "Motorbike Jacket", "Laptop Bag", "Belt", "Women's Handbag", "Travel Duffel Bag", "Bomber Jacket"},
		4, 85, []string{"Piece"}, 1200, 18000, []moqKind{moqPieces}},
	"footwear": {
		[]string{"Handmade", "Men's Leather", "Women's", "Kids", "Casual"},
		[]string{"Peshawari Chappal", "Loafers", "Khussa", "Sandals", "Sneakers", "Formal Shoes", "Safety Boots"},
		3.5, 40, []string{"Piece"}, 1000, 9000, []moqKind{moqPairs}},
	"rice": {
		[]string{"1121", "Super Kernel", "PK-386", "IRRI-6", "Sella", "Steam"},
		[]string{"Basmati Rice 25kg", "Long Grain Rice", "Basmati Rice Sella", "White Rice 5% Broken", "Parboiled Rice 50kg"},
		450, 1250, []string{""}, 900, 4800, []moqKind{moqTon, moqKg}},
	"furniture": {
		[]string{"Sheesham Wood", "Hand Carved", "Chinioti", "Teak Wood", "Wrought Iron", "Rattan"},
		[]string{"Dining Table 6 Seater", "King Size Bed", "Sofa Set 5 Seater", "Coffee Table", "Wardrobe 3 Door", "Rocking Chair"},
		60, 900, []string{"Piece", "Set"}, 7000, 160000, []moqKind{moqPieces, moqSets}},
	"handicrafts": {
		[]string{"Himalayan", "Hand Painted", "Multani Blue", "Onyx Marble", "Hand Knotted", "Truck Art"},
		[]string{"Pink Salt Lamp 3-5kg", "Pottery Vase", "Wool Rug 4x6", "Decorative Plate", "Candle Holder Set", "Camel Skin Lamp"},
		1.5, 60, []string{"Piece"}, 400, 12000, []moqKind{moqPieces, moqSets}},
	"electronics": {
		[]string{"Wireless", "Smart", "Portable", "Fast Charging", "LED", "Rechargeable"},
		[]string{"Bluetooth Earbuds TWS", "USB-C Charger 20W", "Ceiling Fan 56\"", "Power Bank 10000mAh", "Smart Watch", "Room Heater", "Hair Trimmer"},
		2.5, 120, []string{"Piece"}, 600, 65000, []moqKind{moqPieces}},
}

// categories is the canonical table the demo draws from, read once.
var categories = pipeline.Categories()

// catalog is products in pipeline.Categories order, so a category is a
// small index everywhere else.
var catalog = func() []product {
	out := make([]product, len(categories))
	for i, c := range categories {
		p, ok := products[c.Slug]
		if !ok {
			panic("demo: no products for category " + c.Slug)
		}
		if _, ok := categoryVariants[c.Slug]; !ok {
			panic("demo: no spellings for category " + c.Slug)
		}
		out[i] = p
	}
	return out
}()

func title(r *rng, p product) string {
	return r.pick(p.adjectives) + " " + r.pick(p.nouns)
}

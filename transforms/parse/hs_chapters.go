package parse

// hsChapters holds short names of the HS 2022 chapters, indexed by chapter
// number. Chapter 77 is reserved for future use and 98-99 are left to
// national tariffs, so they are empty and fail ParseHSCode.
var hsChapters = [98]string{
	1: "Live animals", 2: "Meat", 3: "Fish and seafood", 4: "Dairy, eggs, honey", 5: "Other animal products",
	6: "Live plants and flowers", 7: "Vegetables", 8: "Fruit and nuts", 9: "Coffee, tea, spices", 10: "Cereals",
	11: "Milling products", 12: "Oil seeds", 13: "Lacs, gums, resins", 14: "Vegetable plaiting materials",
	15: "Fats and oils", 16: "Meat and fish preparations", 17: "Sugars", 18: "Cocoa",
	19: "Cereal preparations", 20: "Vegetable and fruit preparations", 21: "Miscellaneous edible preparations",
	22: "Beverages", 23: "Food residues, animal feed", 24: "Tobacco", 25: "Salt, stone, cement",
	26: "Ores, slag, ash", 27: "Mineral fuels and oils", 28: "Inorganic chemicals", 29: "Organic chemicals",
	30: "Pharmaceuticals", 31: "Fertilisers", 32: "Dyes, paints, inks", 33: "Essential oils, cosmetics",
	34: "Soaps, waxes", 35: "Albuminoids, glues, enzymes", 36: "Explosives, matches", 37: "Photographic goods",
	38: "Miscellaneous chemicals", 39: "Plastics", 40: "Rubber", 41: "Raw hides and leather",
	42: "Leather articles, bags", 43: "Furskins", 44: "Wood", 45: "Cork", 46: "Basketware",
	47: "Wood pulp", 48: "Paper and paperboard", 49: "Printed matter", 50: "Silk", 51: "Wool and animal hair",
	52: "Cotton", 53: "Other vegetable fibres", 54: "Man-made filaments", 55: "Man-made staple fibres",
	56: "Wadding, felt, cordage", 57: "Carpets", 58: "Special woven fabrics", 59: "Coated textile fabrics",
	60: "Knitted fabrics", 61: "Knitted apparel", 62: "Woven apparel", 63: "Other made-up textiles",
	64: "Footwear", 65: "Headgear", 66: "Umbrellas, walking sticks", 67: "Feathers, artificial flowers",
	68: "Stone, plaster, cement articles", 69: "Ceramics", 70: "Glass", 71: "Pearls, precious metals, jewellery",
	72: "Iron and steel", 73: "Iron or steel articles", 74: "Copper", 75: "Nickel", 76: "Aluminium",
	78: "Lead", 79: "Zinc", 80: "Tin", 81: "Other base metals", 82: "Tools, cutlery", 83: "Miscellaneous base metal articles",
	84: "Machinery", 85: "Electrical machinery", 86: "Railway equipment", 87: "Vehicles", 88: "Aircraft",
	89: "Ships and boats", 90: "Optical, medical instruments", 91: "Clocks and watches", 92: "Musical instruments",
	93: "Arms and ammunition", 94: "Furniture, bedding, lighting", 95: "Toys, games, sports goods",
	96: "Miscellaneous manufactured articles", 97: "Works of art, antiques",
}

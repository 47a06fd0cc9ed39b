package parse

// midFlags maps Maritime Identification Digits (ITU) to ISO alpha-2 for
// the flags that carry most of the world's tonnage and every flag of the
// countries this pipeline reports on. Overseas territories keep their own
// code (Azores and Madeira are Portugal). The full ITU list can be loaded
// through transforms/reference.
var midFlags = map[int]string{
	// Europe
	203: "AT", 204: "PT", 205: "BE", 207: "BG", 209: "CY", 210: "CY", 211: "DE", 212: "CY",
	213: "GE", 215: "MT", 218: "DE", 219: "DK", 220: "DK", 224: "ES", 225: "ES",
	226: "FR", 227: "FR", 228: "FR", 229: "MT", 230: "FI", 231: "FO", 232: "GB", 233: "GB", 234: "GB",
	235: "GB", 236: "GI", 237: "GR", 238: "HR", 239: "GR", 240: "GR", 241: "GR", 242: "MA", 244: "NL",
	245: "NL", 246: "NL", 247: "IT", 248: "MT", 249: "MT", 250: "IE", 251: "IS", 253: "LU", 254: "MC",
	255: "PT", 256: "MT", 257: "NO", 258: "NO", 259: "NO", 261: "PL", 263: "PT", 264: "RO", 265: "SE",
	266: "SE", 269: "CH", 271: "TR", 272: "UA", 273: "RU", 275: "LV", 276: "EE", 277: "LT",
	// Americas
	304: "AG", 305: "AG", 308: "BS", 309: "BS", 310: "BM", 311: "BS", 312: "BZ", 314: "BB", 316: "CA",
	319: "KY", 338: "US", 339: "JM", 345: "MX", 351: "PA", 352: "PA", 353: "PA", 354: "PA", 355: "PA",
	356: "PA", 357: "PA", 366: "US", 367: "US", 368: "US", 369: "US", 370: "PA", 371: "PA", 372: "PA",
	373: "PA", 374: "PA", 375: "VC", 376: "VC", 377: "VC",
	// Asia
	403: "SA", 405: "BD", 408: "BH", 412: "CN", 413: "CN", 414: "CN", 416: "TW", 417: "LK", 419: "IN",
	422: "IR", 425: "IQ", 431: "JP", 432: "JP", 440: "KR", 441: "KR", 447: "KW", 455: "MV", 461: "OM",
	463: "PK", 466: "QA", 470: "AE", 471: "AE", 477: "HK", 525: "ID", 533: "MY", 538: "MH", 548: "PH",
	563: "SG", 564: "SG", 565: "SG", 566: "SG", 567: "TH", 574: "VN",
	// Oceania
	503: "AU", 512: "NZ", 572: "TV", 576: "VU", 577: "VU",
	// Africa
	601: "ZA", 622: "EG", 634: "KE", 636: "LR", 637: "LR", 657: "NG", 667: "SL", 671: "TG", 677: "TZ",
	// South America
	701: "AR", 710: "BR", 725: "CL", 730: "CO", 735: "EC", 760: "PE", 770: "UY", 775: "VE",
}

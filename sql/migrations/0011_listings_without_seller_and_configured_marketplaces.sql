-- 0011_listings_without_seller_and_configured_marketplaces: a listing may
-- come without a seller, and marketplaces are data a config extends.
--
-- Many marketplace files list products with no seller at all (scrapes of a
-- search page, top-selling lists). Such a source used to invent a
-- placeholder seller, which then failed listings_sellers_exist every night.
-- seller_id is now optional (pipeline.TypedSchema makes it nullable): NULL
-- means the seller is unknown. The marts already join sellers with LEFT
-- JOIN and show an unknown seller's country as NULL; the data test
-- listings_sellers_exist checks only listings that name a seller.
--
-- DuckDB drops a NOT NULL in place. The view core.current_listings is made
-- by 0012, after the last listings column, with these comments.

ALTER TABLE core.listings ALTER COLUMN seller_id DROP NOT NULL;
COMMENT ON COLUMN core.listings.seller_id IS 'Seller identifier on the same marketplace (core.sellers); NULL when the source names no seller (an unknown seller, counted under a NULL seller_country in the marts).';

-- Marketplaces beyond the three built in (alibaba.com, daraz.pk,
-- daraz.com.bd) come from a config's marketplaces: section.
COMMENT ON COLUMN core.listings.marketplace IS 'Marketplace domain: a built-in one (alibaba.com, daraz.pk, daraz.com.bd) or one a config adds under marketplaces:.';
COMMENT ON COLUMN core.sellers.marketplace IS 'Marketplace domain: a built-in one (alibaba.com, daraz.pk, daraz.com.bd) or one a config adds under marketplaces:.';

-- A sailing arrives after it is scheduled to leave, and its derived days
-- agree with its timestamps.
SELECT sailing_id, etd, eta, ata, transit_days, delay_days
FROM core.sailings
WHERE eta < etd
   OR (ata IS NULL) <> (transit_days IS NULL)
   OR (ata IS NULL) <> (delay_days IS NULL)
   OR abs(transit_days - (epoch_us(ata) - epoch_us(etd)) / 86400e6) > 1e-9
   OR abs(delay_days - (epoch_us(ata) - epoch_us(eta)) / 86400e6) > 1e-9

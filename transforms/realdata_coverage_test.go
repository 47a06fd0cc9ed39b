package transforms

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
	"github.com/exportpipe/exportpipe/transforms/reference"
)

// Every floor in this file is a figure measured on the shared real data
// (../shared/data, as of 2026-12-07), set a little below what was measured
// so that a change in rounding does not trip it while a lost rule does;
// the measured figure is beside each. `go test -v -run 'TestReal.*Coverage'
// ./transforms/` prints them all as COVERAGE lines. A figure that is 0 by
// the data's nature is not a floor (a floor of 0 cannot fail): it is
// asserted exactly, with the one reason every row must fail for
// (allRejected), next to a floor on what resolves it.

// TestRealListingsCoverage: the share of real listings with a parsed USD
// price. Daraz BD has no date column (scraped ~2023) and Alibaba was
// scraped in 2021; those dates pick the FX rate. Neither ECB nor the Fed
// publish BDT, so Daraz prices parse but cannot reach USD from these files.
func TestRealListingsCoverage(t *testing.T) {
	fx := realFX(t)
	head, rows := readShared(t, "listings/daraz-bd-top-selling/Top_Selling_Product_Data.csv", ',')
	daraz := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	bdt := func(v string) error { _, err := parse.ParsePrice(v, "BDT"); return err }
	share(t, "daraz.com.bd Discount Price parsed (BDT)", 100, column(t, head, rows, "Discount Price"), bdt) // measured 12907/12907
	// Neither the ECB nor the Fed publishes BDT, so every price fails for
	// want of a rate, and for no other reason (measured 0/12907, all
	// no_fx_rate). With one BDT rate, as an fx_rates source would give,
	// every price reaches USD (measured 12907/12907).
	allRejected(t, "daraz.com.bd Discount Price in USD (ECB+Fed FX)", "no_fx_rate", column(t, head, rows, "Discount Price"), usdPrice(fx, "BDT", daraz))
	withBDT := realFX(t)
	if err := withBDT.Add("BDT", daraz, 110); err != nil {
		t.Fatal(err)
	}
	withBDT.Finalize()
	share(t, "daraz.com.bd Discount Price in USD (ECB+Fed FX + one BDT rate)", 100, column(t, head, rows, "Discount Price"), usdPrice(withBDT, "BDT", daraz))
	list, sale, pct := column(t, head, rows, "Original Price"), column(t, head, rows, "Discount Price"), column(t, head, rows, "Discount")
	i := -1
	// 6 rows have a sale price above the list price: real mismatches
	// (measured 12901/12907 = 99.95%).
	share(t, "daraz.com.bd discount consistent with list/sale price", 99.9, pct, func(v string) error {
		i++
		l, err1 := parse.ParsePrice(list[i], "BDT")
		s, err2 := parse.ParsePrice(sale[i], "BDT")
		d, err3 := parse.ParseDiscount(v)
		if err := firstErr(err1, err2, err3); err != nil {
			return err
		}
		return parse.CheckDiscount(l.Min, s.Min, d, pipeline.DefaultDiscountTolerance)
	})
	alibaba := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range []string{"alibaba (1).csv", "alibaba (2).csv"} {
		h, r := readShared(t, "listings/alibaba-oxygen-concentrators/"+f, ',') // each measured 501/501
		share(t, "alibaba.com "+f+" price in USD", 100, column(t, h, r, "elements-offer-price-normal__price"), usdPrice(fx, "USD", alibaba))
		share(t, "alibaba.com "+f+" MOQ", 100, column(t, h, r, "element-offer-minorder-normal__value"), func(v string) error {
			_, _, err := parse.ParseMOQ(v)
			return err
		})
		share(t, "alibaba.com "+f+" seller country", 100, column(t, h, r, "seller-tag__country"), countryOK(parse.Country))
	}
}

// allRejected checks a figure that is 0 by the nature of the data: no
// value resolves, and every one fails with the reason code want, so a
// parser that broke some other way cannot hide behind the expected 0.
func allRejected(t *testing.T, what, want string, values []string, fn func(string) error) {
	t.Helper()
	pct, codes := measure(t, what, values, fn)
	if pct != 0 || len(codes) != 1 || codes[want] == 0 {
		t.Errorf("%s: %.2f%% resolved, rejects by code %v; want every value to fail with %s (if the data or the tables changed so that some resolve, make this a floor)",
			what, pct, codes, want)
	}
}

func countryOK(fn func(string) (string, error)) func(string) error {
	return func(v string) error { _, err := fn(v); return err }
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// TestRealCountryCoverage: supplier countries from the Alibaba scrape.
func TestRealCountryCoverage(t *testing.T) {
	head, rows := readShared(t, "listings/alibaba-oxygen-concentrators/alibaba.csv", ',')
	label, value := column(t, head, rows, "name 3"), column(t, head, rows, "ellipsis")
	var countries []string
	for i := range label {
		if label[i] == "Country/Region:" { // the column shifts when optional fields are absent
			countries = append(countries, value[i])
		}
	}
	share(t, "alibaba.com supplier Country/Region (built-in table)", 100, countries, countryOK(parse.Country)) // measured 1801/1801
	h, r := readShared(t, "shipping/world-port-index-and-us-ports/UpdatedPub150.csv", ',')
	names := column(t, h, r, "Country Code")
	// The built-in table holds ~60 trading countries; the WPI names ~200
	// (measured 3345/3764 = 88.87%).
	share(t, "World Port Index country names (built-in table)", 88.5, names, countryOK(parse.Country))
	set := &reference.Set{}
	loadShared(t, "reference/country-codes/country-codes.csv", set.LoadCountryCodes)
	share(t, "World Port Index country names (+ ISO 3166 file)", 99, names, countryOK(set.Country)) // measured 3739/3764 = 99.34%
}

// TestRealPortCoverage: ports of the carrier schedules and the WPI.
func TestRealPortCoverage(t *testing.T) {
	set := &reference.Set{}
	loadShared(t, "reference/unlocode/unlocode_code_list_2022-1.csv", set.LoadUNLOCODE)
	const dir = "shipping/carrier-schedules-sa-eu/"
	loadShared(t, dir+"utils__maersk_un_locodes_conversion.csv", func(r io.Reader) (reference.Yield, error) {
		return set.LoadPortAliases(r, ';', "UN_LOCODE", "Maersk_name")
	})
	// Floors in percent: built-in table alone, then with the UN/LOCODE list
	// and Maersk's alias file. Measured: MSC v2 1715/1850 = 92.70% and
	// 1827/1850 = 98.76%; Routescanner 1146/1242 = 92.27% and 1242/1242;
	// MSC v1 906/924 = 98.05% and 924/924; Maersk 0/5056 and 5056/5056.
	for _, c := range []struct {
		file              string
		builtIn, withRefs float64
	}{
		{"msc_daily_v2__connections_2022-11-04.csv", 92.5, 98.5},
		{"routescanner_daily_v2__connections_2022-11-04.csv", 92, 100},
		{"msc_daily__connections_2022-10-22.csv", 98, 100},
		{"maersk_daily__connections_2022-12-21.csv", -1, 99.5},
	} {
		h, r := readShared(t, dir+c.file, ',')
		ports := append(column(t, h, r, "Origin"), column(t, h, r, "Destination")...)
		if c.builtIn >= 0 {
			share(t, c.file+" ports (built-in)", c.builtIn, ports, countryOK(parse.Port))
		} else {
			// Maersk writes terminal names ("Arica Terminal Puerto Arica
			// (TPA)"); the built-in table matches whole names only, so
			// each is an unknown port, and nothing else.
			allRejected(t, c.file+" ports (built-in)", "unknown_port", ports, countryOK(parse.Port))
		}
		share(t, c.file+" ports (+ UN/LOCODE, Maersk aliases)", c.withRefs, ports, countryOK(set.Port))
	}
	// Without Maersk's alias file the UN/LOCODE list alone resolves most
	// terminal names by their leading words ("Arica ..." -> CLARI):
	// measured 4442/5056 = 87.86%.
	noAliases := &reference.Set{}
	loadShared(t, "reference/unlocode/unlocode_code_list_2022-1.csv", noAliases.LoadUNLOCODE)
	h, r := readShared(t, dir+"maersk_daily__connections_2022-12-21.csv", ',')
	share(t, "maersk ports (+ UN/LOCODE, no aliases)", 87.5, append(column(t, h, r, "Origin"), column(t, h, r, "Destination")...), countryOK(noAliases.Port))
	h, r = readShared(t, "shipping/world-port-index-and-us-ports/UpdatedPub150.csv", ',')
	share(t, "WPI UN/LOCODE column (+ UN/LOCODE)", 99.5, column(t, h, r, "UN/LOCODE"), countryOK(set.Port))
	// Many WPI ports are minor harbours absent from UN/LOCODE by name
	// (measured 2113/3768 = 56.08%; the UN/LOCODE column above 3333/3338).
	share(t, "WPI Main Port Name (+ UN/LOCODE)", 55.5, column(t, h, r, "Main Port Name"), countryOK(set.Port))
}

// TestRealVesselAndDateCoverage: IMO numbers, MMSIs and schedule dates.
func TestRealVesselAndDateCoverage(t *testing.T) {
	const dir = "shipping/carrier-schedules-sa-eu/"
	h, r := readShared(t, dir+"maersk_daily__connections_2022-12-21.csv", ',')
	var imos []string
	for _, cell := range column(t, h, r, "Vessels") {
		v, err := parse.ParseRepr(cell)
		if err != nil {
			imos = append(imos, "repr error")
			continue
		}
		for _, vessel := range v.([]any) {
			if s, ok := vessel.([]any)[1].(string); ok && s != "-" {
				imos = append(imos, s)
			}
		}
	}
	imo := func(v string) error { _, err := parse.ParseIMO(v); return err }
	share(t, "maersk Vessels repr -> IMO valid", 100, imos, imo) // measured 3730/3730, and 100% below unless said
	share(t, "maersk Departure time (zone declared UTC)", 100, column(t, h, r, "Departure time"), timeIn(parse.TimeOptions{Zone: time.UTC}))
	// Maersk times carry no offset. Without a declared zone every one must
	// be rejected (no_zone): a parser that guessed a zone would be wrong,
	// so this figure has a ceiling of 0, not a floor.
	allRejected(t, "maersk Departure time (no zone declared)", "no_zone", column(t, h, r, "Departure time"), timeIn(parse.TimeOptions{}))
	h, r = readShared(t, dir+"msc_daily__connections_2022-10-22.csv", ',')
	share(t, "msc v1 Vessel imo code valid", 100, column(t, h, r, "Vessel imo code"), imo)
	h, r = readShared(t, dir+"msc_daily_v2__connections_2022-11-04.csv", ',')
	share(t, "msc v2 EstimatedDepartureDateFormatted", 100, column(t, h, r, "EstimatedDepartureDateFormatted"), timeIn(parse.TimeOptions{}))
	share(t, "msc v2 CutOffs repr", 100, column(t, h, r, "CutOffs"), func(v string) error { _, err := parse.ParseRepr(v); return err })
	share(t, "msc v2 RouteScheduleLegDetails repr", 100, column(t, h, r, "RouteScheduleLegDetails"), func(v string) error { _, err := parse.ParseRepr(v); return err })
	h, r = readShared(t, dir+"routescanner_daily_v2__connections_2022-11-04.csv", ',')
	share(t, "routescanner voyageStart (mixed offsets)", 100, column(t, h, r, "voyageStart"), timeIn(parse.TimeOptions{}))
	share(t, "routescanner legs repr", 100, column(t, h, r, "legs"), func(v string) error { _, err := parse.ParseRepr(v); return err })
	h, r = readShared(t, "shipping/world-port-index-and-us-ports/marinecadastre_AIS_2022-06-01_sample9rows.csv", ',')
	share(t, "AIS sample MMSI -> flag", 100, column(t, h, r, "MMSI"), func(v string) error {
		m, err := parse.ParseMMSI(v)
		if err == nil && m.Flag == "" {
			return parse.ErrBadMMSI
		}
		return err
	})
}

func timeIn(o parse.TimeOptions) func(string) error {
	return func(v string) error { _, err := parse.ParseTimestampIn(v, o); return err }
}

// loadShared feeds a shared reference file to a loader, or skips.
func loadShared(t *testing.T, rel string, load func(io.Reader) (reference.Yield, error)) {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, rel))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("shared data %s is absent (set EXPORTPIPE_SHARED_DATA to its folder); skipping the real-data coverage check", filepath.Join(sharedData, rel))
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := load(f); err != nil {
		t.Fatal(err)
	}
}

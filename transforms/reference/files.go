package reference

import (
	"fmt"
	"os"
)

// Files names full reference files a deployment points the config at.
// Every field is optional.
type Files struct {
	UNLOCODE     string   // UN/LOCODE CSV (unlocode_code_list_2022-1.csv layout)
	CountryCodes string   // ISO 3166 CSV (datasets/country-codes layout)
	HS           string   // HS nomenclature CSV (datasets/harmonized-system layout)
	MIDs         string   // ITU MID CSV (MID,Allocated_to)
	FX           []FXFile // exchange-rate files, loaded in order
}

// FXFile is one exchange-rate file and its layout: "ecb" or "fed_h10".
type FXFile struct {
	Layout string
	Path   string
}

// LoadFiles builds a Set from the named files.
func LoadFiles(f Files) (*Set, error) {
	s := &Set{}
	steps := []struct {
		path string
		load func(*os.File) error
	}{
		{f.UNLOCODE, func(r *os.File) error { return s.LoadUNLOCODE(r) }},
		{f.CountryCodes, func(r *os.File) error { return s.LoadCountryCodes(r) }},
		{f.HS, func(r *os.File) error { return s.LoadHS(r) }},
		{f.MIDs, func(r *os.File) error { _, err := s.LoadMIDs(r, s.Country); return err }},
	}
	for _, st := range steps {
		if st.path == "" {
			continue
		}
		if err := withFile(st.path, st.load); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// LoadFXFiles feeds every FX file into add, e.g. an FXTable's Add.
func LoadFXFiles(files []FXFile, add AddRate) (FXStats, error) {
	var total FXStats
	for _, f := range files {
		err := withFile(f.Path, func(r *os.File) error {
			var st FXStats
			var err error
			switch f.Layout {
			case "ecb":
				st, err = LoadECB(r, add)
			case "fed_h10":
				st, err = LoadFedH10(r, nil, add)
			default:
				return fmt.Errorf("fx layout %q: want ecb or fed_h10", f.Layout)
			}
			total.Rates, total.Skipped = total.Rates+st.Rates, total.Skipped+st.Skipped
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func withFile(path string, fn func(*os.File) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reference file: %w", err)
	}
	defer f.Close()
	if err := fn(f); err != nil {
		return fmt.Errorf("reference file %s: %w", path, err)
	}
	return nil
}

package pipeline_test

import (
	"strings"
	"testing"

	_ "github.com/exportpipe/exportpipe/extractors" // the built-in source kinds
	"github.com/exportpipe/exportpipe/pipeline"
)

// A config's carriers add lines beside the built-in ones, or spellings to
// one of them when named as it; unknown_carrier takes reject or keep.
func TestCarriersConfigExtendsBuiltins(t *testing.T) {
	t.Parallel()
	src := `warehouse: {path: w.duckdb}
carriers:
  - name: Sea Lead Shipping
    aliases: [SeaLead, Sea Lead]
  - {name: Crowley, scac: [CAMN], aliases: [Crowley Maritime]}
  - name: hapag lloyd
    aliases: [Hapag-Lloyd Aktiengesellschaft]
normalise:
  unknown_carrier: keep
sources:
  - name: ships
    dataset: sailings
    kind: file
    file:
      paths: [s.csv]
      constants: {carrier: Crowley Maritime}
  - name: rates
    dataset: freight_rates
    kind: file
    file:
      paths: [r.csv]
      defaults: {carrier: Black Pearl Line}
`
	c, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Normalise.UnknownCarrier != pipeline.UnknownCarrierKeep || len(c.Carriers) != 3 || c.Carriers[1].SCAC[0] != "CAMN" {
		t.Fatalf("decoded %+v, %q", c.Carriers, c.Normalise.UnknownCarrier)
	}
	set, err := c.CarrierSet()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"SEALEAD": "Sea Lead Shipping", "sea-lead": "Sea Lead Shipping", "camn": "Crowley", "Crowley Maritime": "Crowley",
		"HAPAG-LLOYD AKTIENGESELLSCHAFT": "Hapag-Lloyd", "Hapag Lloyd": "Hapag-Lloyd", "MAEU": "Maersk",
	} {
		if got, ok := set.Lookup(in); !ok || got != want {
			t.Errorf("Lookup(%q) = %q, %v; want %s", in, got, ok, want)
		}
	}
	if _, ok := pipeline.BuiltinCarrierSet().Lookup("SeaLead"); ok {
		t.Errorf("a config's carrier leaked into the built-in set")
	}
}

// Every problem with a carrier entry is reported on its line: no name, a
// code that is no SCAC, a spelling that already names another line, a
// name that is another line's alias, and a source whose constant carrier
// no one knows while unknown carriers are rejected.
func TestCarrierConfigErrorsHaveLines(t *testing.T) {
	t.Parallel()
	src := `warehouse: {path: w.duckdb}
carriers:
  - aliases: [Nameless]
  - name: Black Pearl Line
    scac: [BPL1, bplu]
    aliases: [ESL, "  "]
  - name: YML
  - name: Sea Lead Shipping
    alias: [SeaLead]
  - name: Pearl Lines
    aliases: [Black Pearl Line]
normalise:
  unknown_carrier: drop
sources:
  - name: ships
    dataset: sailings
    kind: file
    file:
      paths: [s.csv]
      constants: {carrier: Flying Dutchman Lines}
`
	_, err := pipeline.ParseConfig([]byte(src), env(nil))
	if err == nil || pipeline.ExitCode(err) != pipeline.ExitConfig {
		t.Fatalf("err = %v, want exit code 3", err)
	}
	msg := err.Error()
	for _, w := range []string{
		`[3:12] carriers[0].name: name the carrier`,
		`[5:12] carriers[1].scac[0] "BPL1": want a Standard Carrier Alpha Code`,
		`[5:18] carriers[1].scac[1] "bplu": want a Standard Carrier Alpha Code`,
		`[6:15] carriers[1].aliases[0]: "ESL" is already a spelling of Emirates Shipping Line`,
		`[6:20] carriers[1].aliases[1]: a blank spelling matches nothing`,
		`[7:11] carriers[2].name: "YML" is already a spelling of Yang Ming: to add spellings to that carrier, give its name, Yang Ming`,
		`[9:5] unknown key "alias" in carriers[3]`,
		`[11:15] carriers[4].aliases[0]: "Black Pearl Line" is already a spelling of Black Pearl Line`,
		`normalise.unknown_carrier "drop": want reject (the default: reason unknown_carrier) or keep`,
		`[20:28] sources[0].file.constants.carrier "Flying Dutchman Lines": not a carrier the pipeline knows; add it under carriers:`,
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("report lacks %q:\n%s", w, msg)
		}
	}
	if strings.Count(msg, "carriers[0]") != 1 {
		t.Errorf("the nameless entry should be reported once:\n%s", msg)
	}
}

// The built-in spellings name one carrier each, so the built-in set
// builds; a spelling given to two lines by code is refused.
func TestNewCarrierSet(t *testing.T) {
	t.Parallel()
	if _, err := pipeline.NewCarrierSet(nil); err != nil {
		t.Fatalf("built-in carriers: %v", err)
	}
	_, err := pipeline.NewCarrierSet([]pipeline.CarrierInfo{{Name: "Alpha Line", Aliases: []string{"AL"}}, {Name: "Beta Line", SCAC: []string{"AL"}}})
	if err == nil || !strings.Contains(err.Error(), `"AL" is already a spelling of Alpha Line`) {
		t.Errorf("error = %v, want the shared spelling named", err)
	}
	var none *pipeline.CarrierSet
	if c, ok := none.Lookup("p.n.s.c."); !ok || c != "PNSC" {
		t.Errorf("a nil set should be the built-in one: %q, %v", c, ok)
	}
}

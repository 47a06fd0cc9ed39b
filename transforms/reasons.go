package transforms

import (
	"errors"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/transforms/parse"
)

// Every reject has a stable code, in meta.rejects.code and in brackets at
// the start of its reason, e.g. `[unknown_currency] price "XYZ 12.00":
// unknown currency "XYZ"`, so analysts can group meta.rejects by it while
// the message after it stays free to improve.
const (
	CodeMissing            pipeline.RejectCode = "missing"
	CodeUnparseable        pipeline.RejectCode = "unparseable"
	CodeNegative           pipeline.RejectCode = "negative"
	CodeUnknownCurrency    pipeline.RejectCode = "unknown_currency"
	CodeNoCurrency         pipeline.RejectCode = "no_currency"
	CodeMixedCurrency      pipeline.RejectCode = "mixed_currency"
	CodeBadRange           pipeline.RejectCode = "bad_range"
	CodeUnknownUnit        pipeline.RejectCode = "unknown_unit"
	CodeUnknownCountry     pipeline.RejectCode = "unknown_country"
	CodeUnknownPort        pipeline.RejectCode = "unknown_port"
	CodeUnknownCarrier     pipeline.RejectCode = "unknown_carrier"
	CodeUnknownCategory    pipeline.RejectCode = "unknown_category"
	CodeUnknownEquipment   pipeline.RejectCode = "unknown_equipment"
	CodeUnknownMarketplace pipeline.RejectCode = "unknown_marketplace"
	CodeBadTime            pipeline.RejectCode = "bad_time"
	CodeNoZone             pipeline.RejectCode = "no_zone"
	CodeAmbiguousDate      pipeline.RejectCode = "ambiguous_date"
	CodeBadIMO             pipeline.RejectCode = "bad_imo"
	CodeBadMMSI            pipeline.RejectCode = "bad_mmsi"
	CodeBadHS              pipeline.RejectCode = "bad_hs_code"
	CodeBadCoordinates     pipeline.RejectCode = "bad_coordinates"
	CodeDiscountMismatch   pipeline.RejectCode = "discount_mismatch"
	CodeInvalidUTF8        pipeline.RejectCode = "invalid_utf8"
	CodeBadRepr            pipeline.RejectCode = "bad_repr"
	CodeNoFXRate           pipeline.RejectCode = "no_fx_rate"
	CodeFXRateTooOld       pipeline.RejectCode = "fx_rate_too_old"
	CodeBadRate            pipeline.RejectCode = "bad_rate"
	CodeNotSingleAmount    pipeline.RejectCode = "not_single_amount"
	CodeTimeOrder          pipeline.RejectCode = "time_order"
	CodeFutureTimestamp    pipeline.RejectCode = "future_timestamp"
	CodeOther              pipeline.RejectCode = "invalid"
)

// ReasonCode documents one reject code.
type ReasonCode struct {
	Code        pipeline.RejectCode
	Description string
}

// ReasonCodes lists every code a transform may put in meta.rejects.reason.
var ReasonCodes = []ReasonCode{
	{CodeMissing, "a required field is null or blank"},
	{CodeUnparseable, "the text follows no accepted format (price, quantity, number)"},
	{CodeNegative, "an amount or quantity is below zero"},
	{CodeUnknownCurrency, "a currency symbol or code is not ISO 4217 or not recognised"},
	{CodeNoCurrency, "a price names no currency and its marketplace has no default"},
	{CodeMixedCurrency, "the two ends of a price range, or a list price and the price, name different currencies"},
	{CodeBadRange, "a range's lower end is above its upper end"},
	{CodeUnknownUnit, "a unit of measure is not in the unit table"},
	{CodeUnknownCountry, "a country name or code resolves to no ISO 3166 alpha-2 code"},
	{CodeUnknownPort, "a port is neither a known name nor a UN/LOCODE"},
	{CodeUnknownCarrier, "a shipping line is not one of the canonical carriers"},
	{CodeUnknownCategory, "a category maps onto no canonical category"},
	{CodeUnknownEquipment, "a container type is not 20GP, 40GP or 40HC"},
	{CodeUnknownMarketplace, "the marketplace is not one the pipeline knows"},
	{CodeBadTime, "a timestamp is malformed, impossible or out of range"},
	{CodeNoZone, "a date-time has no UTC offset and the source declared no time zone"},
	{CodeAmbiguousDate, "a numeric date (04/11/2022) from a source that declared neither dmy nor mdy"},
	{CodeBadIMO, "an IMO number is not 7 digits or fails its check digit"},
	{CodeBadMMSI, "an MMSI is not 9 digits or has no maritime identification digits"},
	{CodeBadHS, "an HS code is not 6 digits or names no chapter"},
	{CodeBadCoordinates, "UN/LOCODE coordinates are malformed"},
	{CodeDiscountMismatch, "retired as a reject: a disagreeing discount flags the listing (core.listings.discount_mismatch) and keeps it; older rejects keep the code"},
	{CodeInvalidUTF8, "an identifier or code is not valid UTF-8"},
	{CodeBadRepr, "a cell declared as a Python literal does not parse as one"},
	{CodeNoFXRate, "no FX rate for the currency on or before the record's date"},
	{CodeFXRateTooOld, "the nearest earlier FX rate is older than the limit: 7 days for a daily series, 45 for a monthly one, or normalise.fx_max_age"},
	{CodeBadRate, "an FX rate is not a positive number, or a USD rate is not 1"},
	{CodeNotSingleAmount, "a freight rate or list price is a range or open bound, not one amount"},
	{CodeTimeOrder, "times out of order: eta or ata before etd"},
	{CodeFutureTimestamp, "a version timestamp (updated_at) later than the run's start plus normalise.future_tolerance"},
	{CodeOther, "any other problem"},
}

// sentinelCodes maps the parse sentinels onto their codes.
var sentinelCodes = []struct {
	err  error
	code pipeline.RejectCode
}{
	{parse.ErrEmpty, CodeMissing}, {parse.ErrUnparseable, CodeUnparseable}, {parse.ErrNegative, CodeNegative},
	{parse.ErrUnknownCurrency, CodeUnknownCurrency}, {parse.ErrNoCurrency, CodeNoCurrency},
	{parse.ErrMixedCurrency, CodeMixedCurrency}, {parse.ErrBadRange, CodeBadRange},
	{parse.ErrUnknownUnit, CodeUnknownUnit}, {parse.ErrUnknownCountry, CodeUnknownCountry},
	{parse.ErrUnknownPort, CodeUnknownPort}, {parse.ErrUnknownCarrier, CodeUnknownCarrier},
	{parse.ErrUnknownCategory, CodeUnknownCategory}, {parse.ErrUnknownEquipment, CodeUnknownEquipment},
	{parse.ErrNoZone, CodeNoZone}, {parse.ErrAmbiguousDate, CodeAmbiguousDate}, {parse.ErrBadTime, CodeBadTime},
	{parse.ErrBadIMO, CodeBadIMO}, {parse.ErrBadMMSI, CodeBadMMSI}, {parse.ErrBadHS, CodeBadHS},
	{parse.ErrBadCoordinates, CodeBadCoordinates}, {parse.ErrDiscountMismatch, CodeDiscountMismatch},
	{parse.ErrInvalidUTF8, CodeInvalidUTF8}, {parse.ErrBadRepr, CodeBadRepr},
}

// ReasonCodeOf returns the reject code for a parser error.
func ReasonCodeOf(err error) pipeline.RejectCode {
	for _, s := range sentinelCodes {
		if errors.Is(err, s.err) {
			return s.code
		}
	}
	return CodeOther
}

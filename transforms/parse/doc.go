// Package parse turns the messy strings that marketplaces and shipping
// sources send (prices, order quantities, countries, ports, carriers,
// categories, timestamps, IMO numbers, container types) into canonical
// values. Every function is pure and safe for concurrent use, so the Arrow
// transforms can call them per row and cache results freely.
//
// Errors wrap the sentinels below, so callers can tell why a value failed
// with errors.Is while the message stays readable in meta.rejects.
package parse

import "errors"

var (
	// ErrEmpty means the value was blank after trimming.
	ErrEmpty = errors.New("empty value")
	// ErrUnparseable means the text does not follow any accepted format.
	ErrUnparseable = errors.New("cannot parse")
	// ErrNegative means an amount or quantity was below zero.
	ErrNegative = errors.New("negative amount")
	// ErrUnknownCurrency means a currency symbol or code is not recognised.
	ErrUnknownCurrency = errors.New("unknown currency")
	// ErrNoCurrency means a price named no currency and no default was given.
	ErrNoCurrency = errors.New("no currency in value and no default currency")
	// ErrMixedCurrency means the two ends of a range name different currencies.
	ErrMixedCurrency = errors.New("mixed currencies")
	// ErrBadRange means a range's lower end is above its upper end.
	ErrBadRange = errors.New("invalid range")
	// ErrUnknownUnit means a unit of measure is not in the unit table.
	ErrUnknownUnit = errors.New("unknown unit")
	// ErrUnknownCountry means a country name or code is not recognised.
	ErrUnknownCountry = errors.New("unknown country")
	// ErrUnknownPort means a port is neither a known name nor a UN/LOCODE.
	ErrUnknownPort = errors.New("unknown port")
	// ErrUnknownCarrier means a shipping line is not one of pipeline.Carriers.
	ErrUnknownCarrier = errors.New("unknown carrier")
	// ErrUnknownCategory means a category maps onto no pipeline.Category.
	ErrUnknownCategory = errors.New("unknown category")
	// ErrUnknownEquipment means a container type is not 20GP, 40GP or 40HC.
	ErrUnknownEquipment = errors.New("unknown equipment")
	// ErrBadTime means a timestamp is malformed, impossible or out of range.
	ErrBadTime = errors.New("invalid timestamp")
	// ErrNoZone means a date-time carried no UTC offset, so its instant is unknown.
	ErrNoZone = errors.New("timestamp has no time zone")
	// ErrBadIMO means an IMO number is not 7 digits or fails its check digit.
	ErrBadIMO = errors.New("invalid IMO number")
	// ErrBadCoordinates means a UN/LOCODE coordinate string is malformed.
	ErrBadCoordinates = errors.New("invalid coordinates")
)

// Package transforms turns raw batches (pipeline.RawSchema) into typed
// batches (pipeline.TypedSchema) and rejects (pipeline.RejectSchema), one
// pipeline.Transform per dataset. Every input row lands in exactly one of
// the two outputs, so a run can reconcile extracted = loaded + rejected +
// duplicates. Parsing of individual values lives in the parse subpackage;
// this package handles the Arrow side: column access, builders, caching
// of repeated values, FX conversion and reject bookkeeping.
//
// Transforms hold no per-batch state: caches live for one Apply, so one
// transform may serve concurrent Apply calls. An FXTable is filled from the
// fx_rates batches of a run and then shared by the listings and
// freight_rates transforms through pipeline.FXLookup.
package transforms

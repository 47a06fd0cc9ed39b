package pipeline

// Names the external tests (package pipeline_test, which can import the
// source kinds that import pipeline) need from inside.
var GoJargon = goJargon

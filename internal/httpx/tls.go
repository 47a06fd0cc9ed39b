package httpx

import (
	"log/slog"
)

// TLSOptionKey is the per-source config key that turns TLS certificate
// verification off, in the source's http or file section.
const TLSOptionKey = "tls_insecure_skip_verify"

// WarnInsecureTLS logs, at WARN, that a source talks TLS without checking
// certificates. Extractors call it at the start of every extraction rather
// than once at startup: a long-running daemon logs it with each run, so it
// shows up wherever that run's logs are read, never only in an old
// startup log. A nil log means the process's default logger.
func WarnInsecureTLS(log *slog.Logger, source, section string) {
	if log == nil {
		log = slog.Default()
	}
	log.Warn("TLS certificate verification is OFF for this source: anyone on the network path can read and change its data and credentials; remove the setting once the server's CA is trusted",
		"source", source, "setting", section+"."+TLSOptionKey)
}

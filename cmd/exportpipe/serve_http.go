package main

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/exportpipe/exportpipe/dashboard"
	"github.com/exportpipe/exportpipe/pipeline/schedule"
	"github.com/exportpipe/exportpipe/sql/warehouse"
)

func (d *daemon) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !d.ready.Load() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(d.metrics.Registry, promhttp.HandlerOpts{Registry: d.metrics.Registry}))
	mux.HandleFunc("GET /runs/current", d.currentRun)
	mux.HandleFunc("POST /runs", d.postRun)
	// The dashboard of the config's published snapshot, at / beside the
	// operational endpoints; it reads only the snapshot, never the working
	// warehouse the scheduled runs write.
	d.snapshots = warehouse.NewSnapshotReader(snapshotPath(d.cfg))
	mux.Handle("/", dashboard.NewServer(d.snapshots, dashboard.Options{ExportDir: exportDirOf(d.cfg)}))
	return mux
}

func (d *daemon) currentRun(w http.ResponseWriter, _ *http.Request) {
	t, since, ok := d.sched.Running()
	if !ok {
		writeJSON(w, http.StatusOK, map[string]any{"running": false})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"running": true, "schedule": t.Schedule, "sources": t.Sources,
		"since": since.UTC().Format(time.RFC3339)})
}

// runRequest is POST /runs's optional body: a schedule's sources, or
// sources by name; neither runs every source.
type runRequest struct {
	Schedule string   `json:"schedule"`
	Sources  []string `json:"sources"`
}

func (d *daemon) postRun(w http.ResponseWriter, r *http.Request) {
	if d.token == "" {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "POST /runs is disabled: set serve.token_env in the config"})
		return
	}
	if !d.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="exportpipe"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "missing or wrong bearer token"})
		return
	}
	t, err := d.triggerFor(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	switch err := d.sched.Trigger(t); {
	case errors.Is(err, schedule.ErrBusy):
		cur, since, _ := d.sched.Running()
		writeJSON(w, http.StatusConflict, map[string]any{"error": err.Error(), "running": cur.Schedule,
			"since": since.UTC().Format(time.RFC3339)})
	case err != nil:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusAccepted, map[string]any{"status": "started", "sources": t.Sources})
	}
}

func (d *daemon) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(d.token)) == 1
}

func (d *daemon) triggerFor(r *http.Request) (schedule.Trigger, error) {
	var req runRequest
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		return schedule.Trigger{}, err
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			return schedule.Trigger{}, errors.New("body: want {\"schedule\": name} or {\"sources\": [names]}: " + err.Error())
		}
	}
	t := schedule.Trigger{Schedule: "api", Sources: req.Sources}
	if req.Schedule != "" {
		found := false
		for _, s := range d.cfg.Schedules {
			if s.Name == req.Schedule {
				t.Sources, found = s.Sources, true
			}
		}
		if !found {
			return t, errors.New("no schedule named " + req.Schedule)
		}
	}
	if _, err := d.cfg.Select(t.Sources); err != nil {
		return t, err
	}
	return t, nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

package dashboard

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The dashboard links every chart to its mart's exports: the Parquet and
// CSV files a run publishes beside the snapshot, listed in manifest.json
// (sql/warehouse/exports.go writes both files; only the fields read here
// are declared).

type latestFile struct {
	RunID    string `json:"run_id"`
	Path     string `json:"path"`
	Manifest string `json:"manifest"`
}

type manifestFile struct {
	Path   string `json:"path"`
	Table  string `json:"table"`
	Format string `json:"format"`
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
}

type manifest struct {
	RunID string         `json:"run_id"`
	Files []manifestFile `json:"files"`
}

// exportSet is one run's exports.
type exportSet struct {
	Root   string // the export folder (exports/)
	Folder string // the run's folder in it, e.g. run_id=2026...
	RunID  string
	Files  []manifestFile
	// link turns a file of the set into the href a page uses.
	link func(folder, file string) string
}

// exportLink is a mart's files as a section lists them.
type exportLink struct {
	Table string
	Files []exportFile
}

type exportFile struct {
	Href   string
	Format string
	Rows   int64
	Bytes  int64
}

// runFolder is the shape of a run's export folder; nothing else is served.
var runFolder = regexp.MustCompile(`^run_id=[0-9A-Za-z.\-]+$`)

// loadLatest reads root/latest.json and the manifest it names. No export
// folder is not an error: the pages then have no links.
func loadLatest(root string) (*exportSet, error) {
	if root == "" {
		return nil, nil
	}
	b, err := os.ReadFile(filepath.Join(root, "latest.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var l latestFile
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(root, "latest.json"), err)
	}
	return loadRun(root, l.Path)
}

// loadRun reads the manifest of one run folder under root.
func loadRun(root, folder string) (*exportSet, error) {
	if !runFolder.MatchString(folder) {
		return nil, fmt.Errorf("%q is not a run's export folder", folder)
	}
	path := filepath.Join(root, folder, "manifest.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return &exportSet{Root: root, Folder: folder, RunID: m.RunID, Files: m.Files}, nil
}

// file finds a file of the set by name; only listed files are served.
func (e *exportSet) file(name string) (manifestFile, bool) {
	for _, f := range e.Files {
		if f.Path == name && !strings.ContainsAny(name, `/\`) {
			return f, true
		}
	}
	return manifestFile{}, false
}

// links lists the exports of the named marts that the run published.
func (e *exportSet) links(marts ...string) []exportLink {
	if e == nil || e.link == nil {
		return nil
	}
	var out []exportLink
	for _, m := range marts {
		l := exportLink{Table: "marts." + m}
		for _, f := range e.Files {
			if f.Table == l.Table {
				l.Files = append(l.Files, exportFile{Href: e.link(e.Folder, f.Path), Format: f.Format, Rows: f.Rows, Bytes: f.Bytes})
			}
		}
		if len(l.Files) > 0 {
			out = append(out, l)
		}
	}
	return out
}

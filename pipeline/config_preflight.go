package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Use says which command a config is checked for: the checks of the
// machine a config runs on differ between a run and the daemon.
type Use int

const (
	// ForRun is `exportpipe run`: the files it reads must exist now.
	ForRun Use = 1 << iota
	// ForServe is `exportpipe serve`: the variables it reads at start-up
	// must be set. The files its runs read are checked at each run, since
	// a drop folder may fill after the daemon starts.
	ForServe
)

// Preflight makes the checks that depend on the machine rather than the
// file: local files and globs that must match, and the variables that
// serve.token_env names. ParseConfig has checked everything else. Every
// problem is reported. validate, run and serve all call it, so validate
// finds what the other two would refuse.
// The errors it returns start with their key path; Report gives them
// their lines.
func (c *Config) Preflight(use Use, lookup func(string) (string, bool)) []error {
	var errs []error
	if use&ForRun != 0 {
		errs = append(errs, c.missingFiles()...)
	}
	if use&ForServe != 0 && c.Serve.TokenEnv != "" {
		if v, ok := lookup(c.Serve.TokenEnv); !ok || v == "" {
			errs = append(errs, ErrorAt("serve.token_env", ": environment variable %s is not set: set it to the token POST /runs must carry, or remove serve.token_env to turn POST /runs off", c.Serve.TokenEnv))
		}
	}
	return errs
}

// Report gives each error its line and column (from the key path its
// message starts with), sorts them in file order and joins them with exit
// code 3; nil when there are none.
func (c *Config) Report(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = locate(c.file, e)
	}
	sortByPosition(out)
	// Worded as ParseConfig's report is, so the two read alike.
	return WithExit(ExitConfig, fmt.Errorf("config %s:\n%w", c.name(), errors.Join(out...)))
}

// missingFiles reports local source paths that do not exist and globs
// that match nothing, and reference files that do not exist. URLs are
// reached only by a run.
func (c *Config) missingFiles() []error {
	var errs []error
	for i, s := range c.Sources {
		ls, ok := s.Spec.(LocalSpec)
		if !ok {
			continue
		}
		sk, _ := LookupSourceKind(s.Kind)
		for _, in := range ls.LocalInputs() {
			if err := localInput(in.Path); err != nil {
				errs = append(errs, ErrorAt(fmt.Sprintf("sources[%d].%s.%s", i, sk.Section, in.Key), " %q: %v", in.Path, err))
			}
		}
	}
	ref := c.Normalise.Reference
	for _, r := range []struct{ key, path string }{
		{"unlocode", ref.UNLOCODE}, {"country_codes", ref.CountryCodes}, {"hs", ref.HS}, {"mids", ref.MIDs},
	} {
		if err := localFile(r.path); err != nil {
			errs = append(errs, ErrorAt(fmt.Sprintf("normalise.reference.%s", r.key), " %q: %v", r.path, err))
		}
	}
	for i, a := range ref.PortAliases {
		if err := localFile(a.Path); err != nil {
			errs = append(errs, ErrorAt(fmt.Sprintf("normalise.reference.port_aliases[%d].path", i), " %q: %v", a.Path, err))
		}
	}
	for i, f := range ref.FX {
		if err := localFile(f.Path); err != nil {
			errs = append(errs, ErrorAt(fmt.Sprintf("normalise.reference.fx[%d].path", i), " %q: %v", f.Path, err))
		}
	}
	return errs
}

func isURL(p string) bool {
	return strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://")
}

// localInput checks a source path as the file extractor reads it: a URL is
// left to the run, a glob must match at least one file, and a plain path
// must exist.
func localInput(p string) error {
	if p == "" || isURL(p) || CheckLocation(p) != nil {
		return nil // a URL is reached by the run; a bad one is reported already
	}
	if strings.ContainsAny(p, "*?[") {
		m, err := filepath.Glob(p)
		if err != nil {
			return fmt.Errorf("not a valid glob: %v", err)
		}
		if len(m) == 0 {
			return fmt.Errorf("matches no file%s", relativeNote(p))
		}
		return nil
	}
	return localFile(p)
}

// localFile checks that a local file exists and is a file; "" and URLs
// pass.
func localFile(p string) error {
	if p == "" || isURL(p) || CheckLocation(p) != nil {
		return nil
	}
	st, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no such file%s", relativeNote(p))
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot be read: permission denied")
	case err != nil:
		return fmt.Errorf("cannot be read: %v", err)
	case st.IsDir():
		return fmt.Errorf("is a folder: name the file, or a glob such as %s", filepath.Join(p, "*.csv"))
	}
	return nil
}

// relativeNote says where a relative path was looked for, since that is
// the usual reason it is not found.
func relativeNote(p string) string {
	if filepath.IsAbs(p) {
		return ""
	}
	wd, err := os.Getwd()
	if err != nil {
		return " (relative paths start at the working directory)"
	}
	return " (relative paths start at the working directory, " + wd + ")"
}

func (c *Config) name() string {
	if c.path == "" {
		return "(built in)"
	}
	return c.path
}

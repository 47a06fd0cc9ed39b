package pipeline

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ScheduleConfig is one entry of `exportpipe serve`'s timetable.
type ScheduleConfig struct {
	// Name identifies the schedule in logs, metrics and POST /runs.
	Name string `yaml:"name"`
	// Cron is a five-field cron spec or a descriptor (@daily, @every 6h),
	// optionally prefixed with CRON_TZ=Area/City; without it the spec is
	// read in the server's local time zone.
	Cron string `yaml:"cron"`
	// Sources names the sources this schedule runs; empty means all.
	Sources []string `yaml:"sources"`
	// Jitter delays each tick by a random duration up to this much, so
	// several deployments do not hit the same API at the same second.
	Jitter Duration `yaml:"jitter"`
}

// ServeConfig configures the daemon's HTTP endpoint.
type ServeConfig struct {
	// Listen is the address for /healthz, /readyz, /metrics and POST /runs.
	Listen string `yaml:"listen"`
	// TokenEnv names the environment variable holding the bearer token
	// POST /runs requires. Empty disables POST /runs.
	TokenEnv string `yaml:"token_env"`
	// ShutdownTimeout bounds how long a signalled daemon waits for the
	// current run to stop.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
}

// DefaultListen is where `exportpipe serve` listens when serve.listen is
// unset: loopback, so metrics and the trigger are not exposed by accident.
const DefaultListen = "127.0.0.1:9464"

// DefaultShutdownTimeout bounds a graceful stop when serve.shutdown_timeout
// is unset.
const DefaultShutdownTimeout = 30 * time.Second

// ListenAddr is the address to serve on.
func (s ServeConfig) ListenAddr() string {
	if s.Listen == "" {
		return DefaultListen
	}
	return s.Listen
}

// Shutdown is the bound on a graceful stop.
func (s ServeConfig) Shutdown() time.Duration {
	if s.ShutdownTimeout <= 0 {
		return DefaultShutdownTimeout
	}
	return time.Duration(s.ShutdownTimeout)
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (s ServeConfig) validate() []error {
	var errs []error
	if s.Listen != "" {
		if _, _, err := net.SplitHostPort(s.Listen); err != nil {
			errs = append(errs, ErrorAt("serve.listen", " %q: want host:port, such as 127.0.0.1:9464", s.Listen))
		}
	}
	if s.TokenEnv != "" && !envName.MatchString(s.TokenEnv) {
		errs = append(errs, ErrorAt("serve.token_env", " %q: give the name of an environment variable, not its value", s.TokenEnv))
	}
	if s.ShutdownTimeout < 0 {
		errs = append(errs, ErrorAt("serve.shutdown_timeout", " must not be negative"))
	}
	return errs
}

// ParseCron parses a schedule's spec: five fields or a descriptor, with an
// optional CRON_TZ= (or TZ=) prefix naming an IANA time zone.
func ParseCron(spec string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("cron %q: %v: want five fields (minute hour day-of-month month day-of-week), e.g. \"CRON_TZ=Asia/Karachi 0 2 * * *\", or @daily / @every 6h", spec, err)
	}
	return s, nil
}

func (c *Config) validateSchedules() []error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, ErrorAt(path, format, args...)) }
	names := map[string]bool{}
	for i, s := range c.Schedules {
		at := fmt.Sprintf("schedules[%d]", i)
		if !identifier.MatchString(s.Name) {
			bad(at+".name", " %q: use lowercase letters, digits and _ (it labels logs and metrics)", s.Name)
		} else if names[s.Name] {
			bad(at+".name", " %q is used twice", s.Name)
		}
		names[s.Name] = true
		if strings.TrimSpace(s.Cron) == "" {
			bad(at+".cron", " is required")
		} else if _, err := ParseCron(s.Cron); err != nil {
			bad(at+".cron", ": %v", err)
		}
		if s.Jitter < 0 {
			bad(at+".jitter", " must not be negative")
		}
		for j, name := range s.Sources {
			if !c.hasSource(name) {
				bad(fmt.Sprintf("%s.sources[%d]", at, j), " %q: no source has that name", name)
			}
		}
	}
	return errs
}

func (c *Config) hasSource(name string) bool {
	return slices.ContainsFunc(c.Sources, func(s SourceConfig) bool { return s.Name == name })
}

// Select returns a copy of the config that runs only the named sources; no
// names selects every source.
func (c *Config) Select(names []string) (*Config, error) {
	out := *c
	if len(names) == 0 {
		return &out, nil
	}
	out.Sources = nil
	for _, n := range names {
		if !c.hasSource(n) {
			return nil, fmt.Errorf("no source named %q in the config", n)
		}
	}
	for _, s := range c.Sources {
		if slices.Contains(names, s.Name) {
			out.Sources = append(out.Sources, s)
		}
	}
	return &out, nil
}

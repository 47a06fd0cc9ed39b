package pipeline

// Phase is the stage a run is in, for whatever shows a run's progress to a
// person: extraction per dataset, then the warehouse's steps.
type Phase string

// The phases of a run, in order.
const (
	PhaseExtract Phase = "extract" // a dataset's sources are read and normalised
	PhaseMerge   Phase = "merge"   // the staged rows are merged into core
	PhaseMarts   Phase = "marts"   // the marts are rebuilt
	PhaseTests   Phase = "tests"   // the data tests run
	PhasePublish Phase = "publish" // the snapshot and the exports are published
)

// enter tells the Runner's OnPhase hook that the run has reached p; d is
// the dataset being extracted, "" for the other phases. It also logs it at
// debug level, so a log says which stage a run was in when it stopped (the
// crash tests kill runs on these lines).
func (r *Runner) enter(p Phase, d Dataset) {
	if r.Logger != nil {
		r.Logger.Debug("phase started", "phase", p, "dataset", d)
	}
	if r.OnPhase != nil {
		r.OnPhase(p, d)
	}
}

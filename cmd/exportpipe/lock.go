package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/exportpipe/exportpipe/pipeline"
	"github.com/exportpipe/exportpipe/pipeline/runlock"
)

// acquireRunLock takes the warehouse's run lock or returns exit code 4
// naming the run that holds it. A lock left by a crashed run is taken over
// and the takeover logged.
func acquireRunLock(warehousePath, command, snapshot string) (*runlock.Lock, runlock.Holder, error) {
	me := runlock.Me("", command)
	me.Snapshot = snapshot
	lock, err := runlock.Acquire(warehousePath, me)
	var held *runlock.HeldError
	if errors.As(err, &held) {
		return nil, me, pipeline.WithExit(pipeline.ExitLocked, err)
	}
	if err != nil {
		return nil, me, err
	}
	if st := lock.Stale; st != nil {
		alive, known := st.Alive()
		slog.Warn("taking over the run lock of a run that did not finish (crashed or killed); its meta.runs row may still say running",
			"lock", runlock.PathFor(warehousePath), "previous_holder", st.String(), "pid_alive", alive, "pid_checked", known)
	}
	return lock, me, nil
}

// heldLock is a run lock taken by this process and what it says about us.
type heldLock struct {
	*runlock.Lock
	holder runlock.Holder
}

// lockedWarehouse writes the run id into the lock file as the run begins,
// so a second run's message names the run in meta.runs it is waiting for.
type lockedWarehouse struct {
	pipeline.Warehouse
	lock   *runlock.Lock
	holder runlock.Holder
}

func (w lockedWarehouse) BeginRun(ctx context.Context, run pipeline.RunInfo) error {
	h := w.holder
	h.RunID = run.ID
	if err := w.lock.Update(h); err != nil {
		slog.Warn("could not record the run id in the run lock", "err", err)
	}
	return w.Warehouse.BeginRun(ctx, run)
}

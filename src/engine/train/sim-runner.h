/* sim-runner.h: a worker thread that trains, and publishes snapshots to the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include "sim-config.h"
#include "sim-snapshot.h"

G_BEGIN_DECLS

/* What the runner drives. The default backend is the trainer (sim-train); tests may pass their
 * own. Every function is called on the worker thread only, except free, which may also run on
 * the thread that stops the runner after the worker has been joined. */
typedef struct
{
  /* Creates the training state for config; NULL with error if the config is refused. */
  gpointer (*create)        (const SimConfig *config,
                             GError         **error);
  /* One base iteration. Returns FALSE when the run is complete (nothing more to do). */
  gboolean (*step)          (gpointer         state);
  /* Fills every training field of snapshot (history, objectives, inference, shown levels);
   * shown_index selects which train and test level to show (the "next level" button). */
  void     (*fill_snapshot) (gpointer         state,
                             int              shown_index,
                             SimSnapshot     *snapshot);
  void     (*free)          (gpointer         state);
} SimRunnerBackend;

/* The trainer (sim-train) as a backend. */
const SimRunnerBackend *sim_runner_default_backend (void);

#define SIM_TYPE_RUNNER (sim_runner_get_type ())

G_DECLARE_FINAL_TYPE (SimRunner, sim_runner, SIM, RUNNER, GObject)

/* Creates a paused runner for config and starts its worker thread. Snapshots are delivered in
 * the thread-default main context of the calling thread, as the "snapshot" signal. backend may
 * be NULL for the trainer. */
SimRunner   *sim_runner_new           (const SimConfig        *config,
                                       const SimRunnerBackend *backend,
                                       GError                **error);

void         sim_runner_play          (SimRunner       *self);
void         sim_runner_pause         (SimRunner       *self);
/* Plays at full speed, whatever the speed setting, until the current run has done iterations
 * iterations in all (a run already there, or finished, pauses at once), then pauses; the
 * snapshot of that moment is published paused. Play, pause and a reset end it. For replaying
 * a saved run. */
void         sim_runner_play_to       (SimRunner       *self,
                                       int              iterations);
gboolean     sim_runner_get_playing   (SimRunner       *self);
/* Runs exactly one iteration (pauses first if playing). */
void         sim_runner_step          (SimRunner       *self);
/* Starts over with config (or the current config when NULL); keeps playing or paused. Returns
 * FALSE and sets error, changing nothing, if config is refused. */
gboolean     sim_runner_reset         (SimRunner       *self,
                                       const SimConfig *config,
                                       GError         **error);
/* Iterations per second; 0 means as fast as possible. */
void         sim_runner_set_speed     (SimRunner       *self,
                                       double           iterations_per_second);
double       sim_runner_get_speed     (SimRunner       *self);
/* Shows the next pair of train/test levels in the snapshots. */
void         sim_runner_next_level    (SimRunner       *self);
void         sim_runner_get_config    (SimRunner       *self,
                                       SimConfig       *config);
/* The number of the current (or pending) run: one more with every sim_runner_reset(). A
 * snapshot carries the number of the run it shows (SimSnapshot.run), so a late snapshot of a
 * run that was replaced can be told from one of the run now. */
guint        sim_runner_get_run       (SimRunner       *self);
/* The last snapshot delivered to the main thread (borrowed), or NULL before the first. */
SimSnapshot *sim_runner_get_snapshot  (SimRunner       *self);
/* A job run on the worker thread between two iterations. state is the backend's state for the
 * current run (NULL when the run could not start); the job may read it and must leave the run
 * as it found it, except for what its owner documents (e.g. sampling uses its own generator). */
typedef void (*SimRunnerJobFunc) (SimRunner *runner,
                                  gpointer   state,
                                  gpointer   user_data);
/* Called on the owner's main context after the job ran. Not called when the runner stopped
 * first; destroy still runs, always on the owner's thread. */
typedef void (*SimRunnerJobDone) (SimRunner *runner,
                                  gpointer   user_data);

/* Queues func to run on the worker before its next iteration (also while paused), then done in
 * the owner's context, then destroy (may be NULL) on user_data. Jobs run in queue order. */
void         sim_runner_call          (SimRunner        *self,
                                       SimRunnerJobFunc  func,
                                       SimRunnerJobDone  done,
                                       gpointer          user_data,
                                       GDestroyNotify    destroy);
/* The trainer of a job's state with the default backend (NULL for other backends or when the
 * run could not start). Only valid inside a SimRunnerJobFunc. */
struct _SimTrain *sim_runner_job_get_train (SimRunner *self,
                                            gpointer   state);

/* Stops and joins the worker; idempotent. Called by dispose too. */
void         sim_runner_stop          (SimRunner       *self);

G_END_DECLS

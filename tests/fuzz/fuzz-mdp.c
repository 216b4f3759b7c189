/* fuzz-mdp.c: libFuzzer target for MDP files ("infer --mdp") and the IRL passes on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input must either be refused with a UTF-8 message that names the file, or give an
 * MDP that sim_mdp_to_json() writes so that it reads back the same. What the streaming reader
 * takes (the path of plainly valid files), the tree reader must read to the same file, and
 * the file loader, which reads in pieces, to the same too. Small MDPs are then
 * handed to the inference as "infer --mdp" would: the objective and gradient must be finite,
 * and the same numbers whether the finite-horizon passes keep every step or recompute them
 * from checkpoints; the log-domain passes must agree with the exp-domain ones to rounding.
 */
#include "config.h"

#include <math.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "sim-irl.h"
#include "sim-mdp.h"
#include "sim-mdp-json-private.h"

#define NAME "fuzz.mdp"
/* Inference only on MDPs this small (states × steps), so that each input stays quick. */
#define MAX_WORK 20000

FUZZ_DEFINE_INITIALIZE ()

/* An IRL problem for the MDP and its trajectories, or NULL when the model does not apply or
 * a trajectory is refused (which must come with a message). */
static SimIrl *
make_irl (SimMdp      *mdp,
          GPtrArray   *trajectories,
          SimIrlModel  model,
          int          checkpoint,
          gboolean     safe)
{
  g_autoptr (GError) error = NULL;
  SimIrl *irl = sim_irl_new_for_mdp (mdp, model, trajectories, &error);

  if (irl == NULL)
    {
      FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL),
                  "a trajectory refused without a message");
      return NULL;
    }
  sim_irl_set_checkpoint (irl, checkpoint);
  sim_irl_set_safe_mode (irl, safe);
  if (!sim_irl_prepare (irl, &error))
    {
      FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL),
                  "prepare failed without a message");
      sim_irl_free (irl);
      return NULL;
    }
  return irl;
}

static void
check_inference (SimMdp    *mdp,
                 GPtrArray *trajectories,
                 SimIrlModel model)
{
  int nf = mdp->n_features;
  g_autofree double *theta = g_new (double, nf);
  g_autofree double *g_every = g_new (double, nf);
  g_autofree double *g_ck = g_new (double, nf);
  g_autofree double *g_safe = g_new (double, nf);
  SimIrl *every, *ck, *safe;
  double f_every, f_ck, f_safe;

  every = make_irl (mdp, trajectories, model, 0, FALSE);
  if (every == NULL)
    return;
  ck = make_irl (mdp, trajectories, model, 2, FALSE);
  safe = make_irl (mdp, trajectories, model, 3, TRUE);
  FUZZ_CHECK (ck != NULL && safe != NULL, "refused with checkpoints only");
  for (int j = 0; j < nf; j++)
    theta[j] = (j % 3 == 0 ? 0.8 : j % 3 == 1 ? -0.5 : 0.3) / (1 + j / 3);

  f_every = sim_irl_objective (every, theta, 1e-3, g_every);
  f_ck = sim_irl_objective (ck, theta, 1e-3, g_ck);
  f_safe = sim_irl_objective (safe, theta, 1e-3, g_safe);
  FUZZ_CHECK (isfinite (f_every), "objective %g", f_every);
  FUZZ_CHECK (f_ck == f_every, "checkpoints change the objective: %.17g, %.17g", f_ck,
              f_every);
  FUZZ_CHECK (fabs (f_safe - f_every) <= 1e-8 * MAX (1.0, fabs (f_every)),
              "log domain %.17g, exp domain %.17g", f_safe, f_every);
  for (int j = 0; j < nf; j++)
    {
      FUZZ_CHECK (isfinite (g_every[j]), "gradient[%d] %g", j, g_every[j]);
      FUZZ_CHECK (g_ck[j] == g_every[j], "checkpoints change gradient[%d]: %.17g, %.17g", j,
                  g_ck[j], g_every[j]);
      FUZZ_CHECK (fabs (g_safe[j] - g_every[j]) <= 1e-6 * MAX (1.0, fabs (g_every[j])),
                  "log domain gradient[%d] %.17g, exp domain %.17g", j, g_safe[j],
                  g_every[j]);
    }
  sim_irl_free (every);
  sim_irl_free (ck);
  sim_irl_free (safe);
}

/* The file written from the MDP reads back as an MDP that writes the same file. */
static void
check_round_trip (const SimMdp *mdp,
                  GPtrArray    *trajectories)
{
  g_autofree char *text = sim_mdp_to_json (mdp, trajectories);
  g_autoptr (GPtrArray) read = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SimMdp) again = sim_mdp_parse_json (text, -1, "round-trip", &read, &error);
  g_autofree char *rewritten = NULL;

  FUZZ_CHECK (again != NULL, "written MDP does not parse: %s\n%s",
              error != NULL ? error->message : "(no error)", text);
  rewritten = sim_mdp_to_json (again, read);
  FUZZ_CHECK (strcmp (text, rewritten) == 0, "second write differs:\n%s\n---\n%s", text,
              rewritten);
}

/* Whether "infer --mdp" on it is quick: a few states × steps, not too many features. */
static gboolean
small_problem (const SimMdp *mdp,
               GPtrArray    *trajectories)
{
  gint64 steps = mdp->horizon;

  for (guint i = 0; i < trajectories->len; i++)
    steps = MAX (steps, (gint64) ((GArray *) g_ptr_array_index (trajectories, i))->len);
  return trajectories->len > 0 && (gint64) mdp->n_states * MAX (steps, 1) <= MAX_WORK &&
         mdp->n_features <= 64;
}

/* The streaming reader on the text, and on a file of it, against the tree reader. */
static void
check_stream (const uint8_t *data,
              size_t         size)
{
  g_autoptr (GPtrArray) trajectories = NULL;
  g_autoptr (SimMdp) streamed = sim_mdp_stream_parse ((const char *) data, size, &trajectories);
  g_autoptr (GPtrArray) tree_trajectories = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SimMdp) tree = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (streamed == NULL)
    return;
  tree = sim_mdp_parse_json_tree ((const char *) data, (gssize) size, NAME, &tree_trajectories,
                                  &error);
  FUZZ_CHECK (tree != NULL, "the stream takes what the tree reader refuses: %s",
              error->message);
  a = sim_mdp_to_json (streamed, trajectories);
  b = sim_mdp_to_json (tree, tree_trajectories);
  FUZZ_CHECK (strcmp (a, b) == 0, "the stream reads another MDP:\n%s\n---\n%s", a, b);
  FUZZ_CHECK (streamed->deterministic == tree->deterministic &&
              (streamed->phi == NULL) == (tree->phi == NULL),
              "the stream reads another MDP");

  /* Read in 64 KiB pieces from a file. */
  {
    g_autofree char *path = NULL;
    g_autoptr (GPtrArray) file_trajectories = NULL;
    g_autoptr (SimMdp) loaded = NULL;
    g_autofree char *c = NULL;
    int fd = g_file_open_tmp ("fuzz-mdp-XXXXXX.json", &path, NULL);

    FUZZ_CHECK (fd >= 0, "no temporary file");
    close (fd);
    FUZZ_CHECK (g_file_set_contents (path, (const char *) data, (gssize) size, NULL),
                "temporary file not written");
    loaded = sim_mdp_stream_load (path, (gint64) 1 << 30, &file_trajectories, &error);
    g_unlink (path);
    FUZZ_CHECK (loaded != NULL, "the file is not read as its text");
    c = sim_mdp_to_json (loaded, file_trajectories);
    FUZZ_CHECK (strcmp (a, c) == 0, "the file reads another MDP than its text");
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) trajectories = NULL;
  g_autoptr (SimMdp) mdp = sim_mdp_parse_json ((const char *) data, (gssize) size, NAME,
                                               &trajectories, &error);

  check_stream (data, size);
  if (mdp == NULL)
    {
      fuzz_check_refusal (error, SIM_MDP_ERROR, NAME);
      return 0;
    }
  FUZZ_CHECK (error == NULL, "MDP returned with an error: %s", error->message);
  FUZZ_CHECK (trajectories != NULL, "no trajectory array");
  check_round_trip (mdp, trajectories);

  /* The inference, as "infer --mdp" runs it, on small problems with demonstrations. The
   * stationary causal model is left out when γ is so close to 1 that its sweeps are slow. */
  if (!small_problem (mdp, trajectories))
    return 0;
  check_inference (mdp, trajectories, SIM_IRL_PATHS);
  if (mdp->horizon > 0 || mdp->discount <= 0.95)
    check_inference (mdp, trajectories, SIM_IRL_CAUSAL);
  return 0;
}

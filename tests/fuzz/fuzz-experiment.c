/* fuzz-experiment.c: libFuzzer target for experiment files (.mesascope)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every input must either be refused with a message that names the file, or give an
 * experiment whose configuration validates and whose history is in range, and which
 * sim_experiment_to_json() writes so that it reads back with the same configuration and the
 * same history bytes.
 */
#include "config.h"

#include <math.h>

#include "fuzz-common.h"
#include "sim-experiment.h"

#define NAME "fuzz.mesascope"

FUZZ_DEFINE_INITIALIZE ()

static gboolean
same_bytes (const void *a,
            const void *b,
            gsize       size)
{
  return size == 0 || memcmp (a, b, size) == 0;
}

static void
check_experiment (const SimExperiment *experiment)
{
  g_autoptr (GError) error = NULL;

  FUZZ_CHECK (sim_config_validate (&experiment->config, &error), "config does not validate: %s",
              error->message);
  FUZZ_CHECK (experiment->n_history >= 0 &&
              experiment->n_history <= experiment->config.iterations,
              "%d history entries for %d iterations", experiment->n_history,
              experiment->config.iterations);
  for (int i = 0; i < experiment->n_history; i++)
    {
      FUZZ_CHECK (experiment->train_target[i] >= 0 && experiment->train_target[i] <= 1,
                  "train_target[%d] = %g", i, experiment->train_target[i]);
      FUZZ_CHECK (experiment->test_target[i] >= 0 && experiment->test_target[i] <= 1,
                  "test_target[%d] = %g", i, experiment->test_target[i]);
      FUZZ_CHECK (experiment->test_proxy[i] >= 0 && experiment->test_proxy[i] <= 1,
                  "test_proxy[%d] = %g", i, experiment->test_proxy[i]);
    }
  FUZZ_CHECK (experiment->n_inferences >= 0, "%d inferences", experiment->n_inferences);
  if (experiment->n_inferences > 0)
    FUZZ_CHECK (experiment->n_features >= 1 && experiment->n_features <= 64, "%d features",
                experiment->n_features);
  for (int i = 0; i < experiment->n_inferences; i++)
    {
      FUZZ_CHECK (experiment->inference_iteration[i] >= 0 &&
                  experiment->inference_iteration[i] <= experiment->config.iterations,
                  "inference %d at iteration %d", i, experiment->inference_iteration[i]);
      for (int f = 0; f < experiment->n_features; f++)
        {
          double w = experiment->inferred[i * experiment->n_features + f];
          FUZZ_CHECK (isfinite (w) && fabs (w) <= 1 + 1e-9, "weight %d/%d = %g", i, f, w);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SimExperiment) experiment = NULL;
  g_autoptr (SimExperiment) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  gsize n;

  experiment = sim_experiment_parse ((const char *) data, (gssize) size, NAME, &error);

  /* A NUL-terminated copy read with length -1 gives the same answer when the data holds no
   * NUL byte. */
  if (memchr (data, '\0', size) == NULL)
    {
      g_autofree char *copy = g_strndup ((const char *) data, size);
      g_autoptr (GError) error_again = NULL;
      g_autoptr (SimExperiment) again_copy = sim_experiment_parse (copy, -1, NAME, &error_again);

      FUZZ_CHECK ((experiment == NULL) == (again_copy == NULL) &&
                  (error == NULL) == (error_again == NULL) &&
                  (error == NULL || strcmp (error->message, error_again->message) == 0),
                  "length -1 gives another answer: %s / %s",
                  error != NULL ? error->message : "(none)",
                  error_again != NULL ? error_again->message : "(none)");
    }

  if (experiment == NULL)
    {
      fuzz_check_refusal (error, SIM_EXPERIMENT_ERROR, NAME);
      return 0;
    }
  FUZZ_CHECK (error == NULL, "experiment returned with an error: %s", error->message);
  check_experiment (experiment);

  json = sim_experiment_to_json (experiment);
  again = sim_experiment_parse (json, -1, "round-trip", &error);
  FUZZ_CHECK (again != NULL, "written experiment does not parse: %s\n%s",
              error != NULL ? error->message : "(no error)", json);
  FUZZ_CHECK (sim_config_equal (&experiment->config, &again->config),
              "round trip changed the configuration:\n%s", json);

  n = experiment->n_history;
  FUZZ_CHECK (again->n_history == experiment->n_history, "history %d -> %d entries",
              experiment->n_history, again->n_history);
  FUZZ_CHECK (same_bytes (experiment->train_target, again->train_target, n * sizeof (double)) &&
              same_bytes (experiment->test_target, again->test_target, n * sizeof (double)) &&
              same_bytes (experiment->test_proxy, again->test_proxy, n * sizeof (double)),
              "round trip changed history bytes:\n%s", json);

  /* An inference section without runs carries no data and is not written. */
  FUZZ_CHECK (again->n_inferences == experiment->n_inferences, "inferences %d -> %d",
              experiment->n_inferences, again->n_inferences);
  if (experiment->n_inferences > 0)
    {
      n = experiment->n_inferences;
      FUZZ_CHECK (again->n_features == experiment->n_features, "features %d -> %d",
                  experiment->n_features, again->n_features);
      FUZZ_CHECK (same_bytes (experiment->inference_iteration, again->inference_iteration,
                              n * sizeof (int)) &&
                  same_bytes (experiment->inferred, again->inferred,
                              n * experiment->n_features * sizeof (double)),
                  "round trip changed inference bytes:\n%s", json);
    }

  json_again = sim_experiment_to_json (again);
  FUZZ_CHECK (strcmp (json, json_again) == 0, "second write differs:\n%s\n---\n%s", json,
              json_again);
  return 0;
}

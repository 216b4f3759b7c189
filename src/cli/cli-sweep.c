/* cli-sweep.c: mesascope-cli sweep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sweep runs train's run for every point of a grid of options and every seed, on a pool of
 * threads. Each run is independent and deterministic, and its row is kept at its grid index,
 * so the output never depends on the order in which runs finish, on --jobs, or on how the grid
 * was split into shards (run r belongs to shard (r mod N) + 1 of N).
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli-sweep.h"

static const char sweep_usage[] =
  "Usage: mesascope-cli sweep [OPTION…]\n"
  "       mesascope-cli sweep --merge FILE… [--json FILE|-] [--csv FILE|-]\n"
  "                               [--summary-csv FILE|-]\n"
  "\n"
  "Run train for every combination of the values listed and every seed, on all cores, and\n"
  "write one row per run (its options, its seed and train's final figures) and a summary per\n"
  "grid point (each figure's mean over the seeds and its 95 % interval). Every run is the run\n"
  "'train' makes with the same options and seed.\n"
  "\n"
  "Training options: those of 'mesascope-cli train', each taking a comma-separated list:\n"
  "  --scenario LIST                Scenarios (coin, green-exit, keys-chests)\n"
  "  --agent LIST                   Agents (planner, qlearner, mlp)\n"
  "  --optimizer LIST               Base optimizers of the planner (pgn, cem, pg)\n"
  "  --perception LIST              Target perceptions (full, hidden:PCT, radius:R)\n"
  "  --diversity LIST               Diversities in percent\n"
  "  --grid LIST                    Grid sizes (8, 12, 16)\n"
  "  --iterations LIST              Base iterations\n"
  "  --infer-every LIST             Inference intervals\n"
  "  --planning-depth LIST          Planning depths\n"
  "  --seeds LIST                   Seeds; A-B is every seed from A to B (default 1)\n"
  "  --no-near-corner               Leave out the near_corner feature in every run\n"
  "An option not given keeps train's default. Every run must be one that train accepts;\n"
  "a sweep has at most 1000000 runs.\n"
  "\n"
  "Sweep options:\n"
  "  --jobs N                       Runs at a time, 1 to 1024 (default: the number of\n"
  "                                 processors)\n"
  "  --shard I/N                    Run only the I-th of N disjoint slices of the grid\n"
  "  --resume FILE                  Keep the runs a partial --json file of the same sweep\n"
  "                                 (and shard) holds and run the others; the result goes\n"
  "                                 to FILE unless --json names another. A FILE that does\n"
  "                                 not exist holds no runs yet\n"
  "  --merge FILE…                  Combine the --json files of shards into the files the\n"
  "                                 sweep writes unsharded; no training options then\n"
  "  --json FILE|-                  Write rows and summary as JSON ('-': stdout)\n"
  "  --csv FILE|-                   Write one CSV row per run\n"
  "  --summary-csv FILE|-           Write one CSV row per grid point: its options, runs,\n"
  "                                 and each figure's n, mean and interval\n"
  "  -h, --help                     Show this help\n"
  "\n"
  "Without --json, --csv or --summary-csv the JSON goes to standard output. Each run may take at most the\n"
  "work that train allows. The runs of the grid are numbered with the seeds varying fastest,\n"
  "then the options from the last listed above to the first; rows come in that order.\n"
  "\n"
  "When standard error is a terminal, the runs done, the time elapsed and an estimate of the\n"
  "time left are shown there. SIGINT (Ctrl+C) or SIGTERM stops the runs under way and writes\n"
  "the finished ones (a partial file, \"complete\": false) for --resume to complete; a second\n"
  "signal stops at once without writing. A --json file is also written every 30 seconds\n"
  "while the sweep runs, so --resume completes a sweep whose machine went down.\n"
  "\n"
  "Exit status: 0 on success, 1 when a run, an input or an output file fails, 2 on a usage\n"
  "error, 130 when stopped by SIGINT and 143 by SIGTERM.\n";

#define SWEEP_MAX_JOBS 1024
/* Seconds between the partial --json files written while the sweep runs. */
#define SWEEP_CHECKPOINT_SECONDS 30

typedef struct
{
  CliTrainOptions lists;   /* the lists as given */
  const char *jobs, *shard, *resume, *json, *csv, *summary_csv;
  gboolean merge;
  GPtrArray *merge_files;  /* of const char * */
} Options;

static const CliValueOption sweep_options[] = {
  { "--jobs", G_STRUCT_OFFSET (Options, jobs) },
  { "--shard", G_STRUCT_OFFSET (Options, shard) },
  { "--resume", G_STRUCT_OFFSET (Options, resume) },
  { "--json", G_STRUCT_OFFSET (Options, json) },
  { "--csv", G_STRUCT_OFFSET (Options, csv) },
  { "--summary-csv", G_STRUCT_OFFSET (Options, summary_csv) },
};

/* Returns -1 when parsing went through, else the exit code (help: 0, errors: 2). */
static int
parse_options (int      argc,
               char   **argv,
               Options *opts)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      int status;

      if (strcmp (arg, "-h") == 0 || strcmp (arg, "--help") == 0)
        {
          fputs (sweep_usage, stdout);
          return CLI_EXIT_OK;
        }
      if (strcmp (arg, "--no-near-corner") == 0)
        {
          opts->lists.no_near_corner = TRUE;
          continue;
        }
      if (strcmp (arg, "--merge") == 0)
        {
          if (opts->merge)
            return cli_usage_error ("sweep", "--merge given twice");
          opts->merge = TRUE;
          continue;
        }
      if (arg[0] != '-' || arg[1] != '-')
        {
          if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error ("sweep", "unknown option '%s'", arg);
          if (!opts->merge)
            return cli_usage_error ("sweep", "unexpected argument '%s'", arg);
          g_ptr_array_add (opts->merge_files, (gpointer) arg);
          continue;
        }
      if (!cli_take_listed_value ("sweep", argc, argv, &i, cli_sweep_lists,
                                  CLI_SWEEP_N_AXES, &opts->lists, &status) &&
          !cli_take_listed_value ("sweep", argc, argv, &i, sweep_options,
                                  G_N_ELEMENTS (sweep_options), opts, &status))
        {
          if (cli_option_is (arg, "--seed"))
            return cli_usage_error ("sweep", "unknown option '--seed' (a sweep takes --seeds, "
                                    "a list)");
          return cli_unknown_option ("sweep", arg);
        }
      if (status >= 0)
        return status;
    }
  return -1;
}

/* A whole number in [min, max], digits only. */
static gboolean
parse_whole (const char *text,
             guint64     min,
             guint64     max,
             guint64    *out)
{
  char *end = NULL;
  guint64 value;

  if (!g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || value < min || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

/* Splits the list of option k into the grid: no empty value, no value twice, seeds' ranges
 * expanded. Returns -1 or CLI_EXIT_USAGE. */
static int
read_list (const char   *list,
           int           k,
           CliSweepGrid *grid)
{
  const char *option = cli_sweep_lists[k].name;
  g_auto (GStrv) items = g_strsplit (list, ",", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *values = grid->values[k];

  for (int i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      const char *dash = k == CLI_SWEEP_N_AXES - 1 ? strchr (item, '-') : NULL;

      if (*item == '\0')
        return cli_usage_error ("sweep", "%s: '%s' has an empty value", option, list);
      if (dash != NULL)
        {
          g_autofree char *first_text = g_strndup (item, dash - item);
          guint64 first, last;

          if (!parse_whole (first_text, 0, G_MAXUINT32, &first) ||
              !parse_whole (dash + 1, 0, G_MAXUINT32, &last) || last < first)
            return cli_usage_error ("sweep", "--seeds: '%s' is not a range of seeds (A-B with "
                                    "whole numbers A ≤ B from 0 to 4294967295)", item);
          if (last - first >= CLI_SWEEP_MAX_RUNS)
            return cli_usage_error ("sweep", "--seeds: '%s' has more than %d seeds", item,
                                    CLI_SWEEP_MAX_RUNS);
          for (guint64 s = first; s <= last; s++)
            g_ptr_array_add (values, g_strdup_printf ("%" G_GUINT64_FORMAT, s));
        }
      else
        {
          guint64 seed;

          if (k != CLI_SWEEP_N_AXES - 1)
            g_ptr_array_add (values, g_strdup (item));
          else if (parse_whole (item, 0, G_MAXUINT32, &seed))
            g_ptr_array_add (values, g_strdup_printf ("%" G_GUINT64_FORMAT, seed));
          else
            return cli_usage_error ("sweep", "--seeds: '%s' is not a seed (a whole number from 0 "
                                    "to 4294967295) or a range of seeds (A-B)", item);
        }
    }
  for (guint i = 0; i < values->len; i++)
    {
      if (g_hash_table_contains (seen, g_ptr_array_index (values, i)))
        return cli_usage_error ("sweep", "%s: '%s' is listed twice", option,
                                (const char *) g_ptr_array_index (values, i));
      g_hash_table_add (seen, g_ptr_array_index (values, i));
    }
  return -1;
}

/* The configurations of every run of the grid, each checked as train checks it. Returns -1 or
 * the exit code (its message printed). */
static int
grid_configs (const CliSweepGrid *grid,
              SimConfig         **out)
{
  guint64 n = cli_sweep_grid_n_runs (grid);
  g_autofree SimConfig *configs = g_new (SimConfig, n);

  for (guint64 r = 0; r < n; r++)
    {
      CliTrainOptions opts;
      int rc;

      cli_sweep_grid_options (grid, r, &opts);
      sim_config_init_default (&configs[r]);
      rc = cli_train_apply_options ("sweep", &opts, &configs[r]);
      if (rc < 0)
        rc = cli_train_check_work ("sweep", &configs[r]);
      if (rc >= 0)
        return rc;
    }
  *out = g_steal_pointer (&configs);
  return -1;
}

/* "I/N" with 1 ≤ I ≤ N. */
static gboolean
parse_shard (const char *text,
             guint      *index,
             guint      *count)
{
  const char *slash = strchr (text, '/');
  g_autofree char *first = slash != NULL ? g_strndup (text, slash - text) : NULL;
  guint64 i, n;

  if (slash == NULL || !parse_whole (first, 1, CLI_SWEEP_MAX_RUNS, &i) ||
      !parse_whole (slash + 1, 1, CLI_SWEEP_MAX_RUNS, &n) || i > n)
    return FALSE;
  *index = (guint) i;
  *count = (guint) n;
  return TRUE;
}

/* Whether two nodes print the same. */
static gboolean
same_json (JsonNode *a,
           JsonNode *b)
{
  g_autofree char *ta = json_to_string (a, FALSE);
  g_autofree char *tb = json_to_string (b, FALSE);

  return strcmp (ta, tb) == 0;
}

/* Whether row is the run of config: the options it names are the configuration's. */
static gboolean
row_matches (JsonNode        *row,
             const SimConfig *config)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) expected = NULL;
  JsonObject *want, *have = json_node_get_object (row);
  g_autoptr (GList) members = NULL;

  json_builder_begin_object (builder);
  sim_config_to_json (config, builder, FALSE);
  json_builder_end_object (builder);
  expected = json_builder_get_root (builder);
  want = json_node_get_object (expected);
  members = json_object_get_members (want);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (have, l->data);

      if (value == NULL || !same_json (value, json_object_get_member (want, l->data)))
        return FALSE;
    }
  return TRUE;
}

/* Writes the outputs of rows (partial unless complete). Returns whether all were written. */
static gboolean
write_outputs (const char         *json_path,
               const char         *csv_path,
               const char         *summary_path,
               const CliSweepGrid *grid,
               JsonNode          **rows,
               guint64             n_runs,
               const char         *shard,
               gboolean            complete)
{
  gboolean ok = TRUE;

  if (json_path != NULL)
    {
      g_autofree char *text = cli_sweep_json (grid, rows, n_runs, shard, complete);

      ok = cli_write_output ("sweep", "--json", json_path, text) && ok;
    }
  if (csv_path != NULL)
    {
      g_autofree char *text = cli_sweep_csv (rows, n_runs);

      ok = cli_write_output ("sweep", "--csv", csv_path, text) && ok;
    }
  if (summary_path != NULL)
    {
      g_autoptr (GPtrArray) summary = cli_sweep_summary (grid, rows, n_runs);
      g_autofree char *text = cli_sweep_csv ((JsonNode **) summary->pdata, summary->len);

      ok = cli_write_output ("sweep", "--summary-csv", summary_path, text) && ok;
    }
  return ok;
}

static void
free_rows (JsonNode **rows,
           guint64    n_runs)
{
  for (guint64 r = 0; rows != NULL && r < n_runs; r++)
    g_clear_pointer (&rows[r], json_node_unref);
  g_free (rows);
}

/* --merge FILE…: the files of one sweep's shards into the unsharded outputs. */
static int
merge (const Options *opts)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new ();
  const CliSweepGrid *grid = NULL;
  g_autoptr (JsonNode) grid_json = NULL;
  JsonNode **rows = NULL;
  g_autofree SimConfig *configs = NULL;
  guint64 n_runs = 0, missing = 0, first_missing = 0;
  int rc = CLI_EXIT_OK;

  for (guint f = 0; f < opts->merge_files->len && rc == CLI_EXIT_OK; f++)
    {
      CliSweepFile *file = g_new0 (CliSweepFile, 1);
      g_autoptr (GError) error = NULL;
      const char *path = g_ptr_array_index (opts->merge_files, f);

      g_ptr_array_add (files, file);
      if (!cli_sweep_file_load (path, file, &error))
        {
          fprintf (stderr, "mesascope-cli sweep: --merge: %s\n", error->message);
          rc = CLI_EXIT_FAIL;
          break;
        }
      if (grid == NULL)
        {
          grid = &file->grid;
          grid_json = cli_sweep_grid_to_json (grid);
          n_runs = cli_sweep_grid_n_runs (grid);
          rows = g_new0 (JsonNode *, n_runs);
          rc = grid_configs (grid, &configs);
          if (rc >= 0)
            break;
          rc = CLI_EXIT_OK;
        }
      else
        {
          g_autoptr (JsonNode) other = cli_sweep_grid_to_json (&file->grid);

          if (!same_json (grid_json, other))
            {
              fprintf (stderr, "mesascope-cli sweep: --merge: %s: another sweep than %s "
                       "(\"sweep\" differs: the shards of a sweep are run with the same "
                       "options)\n", path, (const char *) g_ptr_array_index (opts->merge_files,
                                                                              0));
              rc = CLI_EXIT_FAIL;
              break;
            }
        }
      for (guint i = 0; i < file->rows->len; i++)
        {
          JsonNode *row = g_ptr_array_index (file->rows, i);
          guint64 r = cli_sweep_row_index (row);

          if (!row_matches (row, &configs[r]))
            {
              fprintf (stderr, "mesascope-cli sweep: --merge: %s: run %" G_GUINT64_FORMAT
                       " has other options than the grid gives it\n", path, r);
              rc = CLI_EXIT_FAIL;
              break;
            }
          if (rows[r] != NULL && !same_json (rows[r], row))
            {
              fprintf (stderr, "mesascope-cli sweep: --merge: %s: run %" G_GUINT64_FORMAT
                       " differs from the same run in an earlier file\n", path, r);
              rc = CLI_EXIT_FAIL;
              break;
            }
          if (rows[r] == NULL)
            rows[r] = json_node_ref (row);
        }
    }
  for (guint64 r = n_runs; r > 0 && rc == CLI_EXIT_OK; r--)
    if (rows[r - 1] == NULL)
      {
        missing++;
        first_missing = r - 1;
      }
  if (missing > 0)
    {
      fprintf (stderr, "mesascope-cli sweep: --merge: %" G_GUINT64_FORMAT " of %"
               G_GUINT64_FORMAT " runs are in none of the files (the first is run %"
               G_GUINT64_FORMAT "); run the shards that hold them, or --resume those that "
               "stopped, and merge again\n", missing, n_runs, first_missing);
      rc = CLI_EXIT_FAIL;
    }
  if (rc == CLI_EXIT_OK)
    {
      const char *json = opts->json != NULL || opts->csv != NULL || opts->summary_csv != NULL
                         ? opts->json : "-";

      if (!write_outputs (json, opts->csv, opts->summary_csv, grid, rows, n_runs, NULL, TRUE))
        rc = CLI_EXIT_FAIL;
    }

  free_rows (rows, n_runs);
  for (guint f = 0; f < files->len; f++)
    {
      cli_sweep_file_clear (g_ptr_array_index (files, f));
      g_free (g_ptr_array_index (files, f));
    }
  return rc;
}

/* The rows the pool hands back. */
typedef struct
{
  guint64 index;
  JsonNode *row;      /* NULL when the run failed or was stopped */
  char *error;        /* why it failed */
} Result;

/* On a worker: the row of the run, made as soon as it is done. */
static void
on_run_done (SimSweep *engine,
             guint64   index,
             gpointer  data)
{
  GAsyncQueue *results = data;
  Result *result = g_new0 (Result, 1);
  const SimSweepFinal *final = sim_sweep_get_final (engine, index);

  result->index = index;
  result->error = g_strdup (sim_sweep_get_error (engine, index));
  if (final != NULL)
    result->row = cli_sweep_row_new (index, sim_sweep_get_config (engine, index), final);
  g_async_queue_push (results, result);
}

/* Writes the partial --json file, with SIGINT and SIGTERM held until it is written. */
static void
checkpoint (const Options      *opts,
            const CliSweepGrid *grid,
            JsonNode          **rows,
            guint64             n_runs,
            const char         *shard)
{
  sigset_t set, old;

  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  pthread_sigmask (SIG_BLOCK, &set, &old);
  write_outputs (opts->json, NULL, NULL, grid, rows, n_runs, shard, FALSE);
  pthread_sigmask (SIG_SETMASK, &old, NULL);
}

static int
sweep_runs (Options      *opts,
            CliSweepGrid *grid)
{
  g_autofree SimConfig *configs = NULL;
  JsonNode **rows = NULL;
  g_autofree char *shard_text = NULL;
  CliSweepFile resumed = { 0 };
  guint64 n_runs = cli_sweep_grid_n_runs (grid), to_run = 0, done = 0, held = 0;
  guint shard_index = 1, shard_count = 1;
  guint64 jobs = g_get_num_processors ();
  SimSweep *engine = NULL;
  GAsyncQueue *results;
  g_autoptr (GArray) runs = g_array_new (FALSE, FALSE, sizeof (guint64));
  CliProgress progress;
  gboolean failed = FALSE;
  gint64 last_checkpoint;
  sigset_t set, old;
  int rc;

  if (n_runs > CLI_SWEEP_MAX_RUNS)
    return cli_usage_error ("sweep", "the lists make more than %d runs, the most a sweep may "
                            "have", CLI_SWEEP_MAX_RUNS);
  if (opts->jobs != NULL && !parse_whole (opts->jobs, 1, SWEEP_MAX_JOBS, &jobs))
    return cli_usage_error ("sweep", "--jobs: '%s' is out of range (a whole number from 1 to "
                            "%d)", opts->jobs, SWEEP_MAX_JOBS);
  if (opts->shard != NULL && !parse_shard (opts->shard, &shard_index, &shard_count))
    return cli_usage_error ("sweep", "--shard: '%s' is not a shard (I/N, whole numbers with "
                            "1 ≤ I ≤ N)", opts->shard);
  if (opts->shard != NULL)
    shard_text = g_strdup_printf ("%u/%u", shard_index, shard_count);
  rc = grid_configs (grid, &configs);
  if (rc >= 0)
    return rc;
  if (opts->resume != NULL && opts->json == NULL)
    opts->json = opts->resume;
  if (opts->json == NULL && opts->csv == NULL && opts->summary_csv == NULL)
    opts->json = "-";
  {
    const CliFile outputs[] = {
      { "--json", opts->json }, { "--csv", opts->csv }, { "--summary-csv", opts->summary_csv },
    };

    rc = cli_check_files ("sweep", outputs, G_N_ELEMENTS (outputs), NULL, 0);
    if (rc >= 0)
      return rc;
  }

  rows = g_new0 (JsonNode *, n_runs);
  /* A file that is not there yet holds no runs: the same command starts a shard and runs it
   * again after it died. */
  if (opts->resume != NULL && g_file_test (opts->resume, G_FILE_TEST_EXISTS))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) want = cli_sweep_grid_to_json (grid);
      g_autoptr (JsonNode) have = NULL;

      if (!cli_sweep_file_load (opts->resume, &resumed, &error))
        {
          fprintf (stderr, "mesascope-cli sweep: --resume: %s\n", error->message);
          cli_sweep_file_clear (&resumed);
          free_rows (rows, n_runs);
          return CLI_EXIT_FAIL;
        }
      have = cli_sweep_grid_to_json (&resumed.grid);
      rc = -1;
      if (!same_json (want, have))
        {
          fprintf (stderr, "mesascope-cli sweep: --resume: %s is another sweep (its \"sweep\" "
                   "differs: resume with the options it was started with)\n", opts->resume);
          rc = CLI_EXIT_FAIL;
        }
      else if (g_strcmp0 (resumed.shard, shard_text) != 0)
        {
          fprintf (stderr, "mesascope-cli sweep: --resume: %s is shard %s, not %s\n",
                   opts->resume, resumed.shard != NULL ? resumed.shard : "none (unsharded)",
                   shard_text != NULL ? shard_text : "none (unsharded)");
          rc = CLI_EXIT_FAIL;
        }
      for (guint i = 0; i < resumed.rows->len && rc < 0; i++)
        {
          JsonNode *row = g_ptr_array_index (resumed.rows, i);
          guint64 r = cli_sweep_row_index (row);

          if (r % shard_count != shard_index - 1 || !row_matches (row, &configs[r]))
            {
              fprintf (stderr, "mesascope-cli sweep: --resume: %s: run %" G_GUINT64_FORMAT
                       " is not that run of this sweep\n", opts->resume, r);
              rc = CLI_EXIT_FAIL;
            }
          rows[r] = json_node_ref (row);
        }
      cli_sweep_file_clear (&resumed);
      if (rc >= 0)
        {
          free_rows (rows, n_runs);
          return rc;
        }
    }

  engine = sim_sweep_new (configs, n_runs, cli_sweep_grid_n_seeds (grid), NULL);
  g_assert (engine != NULL);   /* the grid has every seed at every point */
  results = g_async_queue_new ();
  for (guint64 r = shard_index - 1; r < n_runs; r += shard_count)
    if (rows[r] == NULL)
      {
        g_array_append_val (runs, r);
        to_run++;
      }
    else
      held++;
  jobs = MAX (MIN (jobs, to_run), 1);

  /* Signals go to this thread: the workers start with them blocked. */
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  pthread_sigmask (SIG_BLOCK, &set, &old);
  cli_stop_begin ("sweep", FALSE);
  cli_progress_init (&progress, "sweep", "run");
  sim_sweep_start (engine, (guint) jobs, (const guint64 *) runs->data, runs->len, on_run_done,
                   results);
  pthread_sigmask (SIG_SETMASK, &old, NULL);

  last_checkpoint = g_get_monotonic_time ();
  cli_progress_update (&progress, 0, (int) to_run);
  while (done < to_run)
    {
      Result *result = g_async_queue_timeout_pop (results, G_USEC_PER_SEC / 4);

      if (result != NULL)
        {
          done++;
          if (result->error != NULL)
            {
              cli_progress_clear (&progress);
              fprintf (stderr, "mesascope-cli sweep: run %" G_GUINT64_FORMAT ": %s\n",
                       result->index, result->error);
              failed = TRUE;
            }
          rows[result->index] = result->row;
          g_free (result->error);
          g_free (result);
        }
      if (cli_stop_requested () || failed)
        break;
      cli_progress_update (&progress, (int) done, (int) to_run);
      if (opts->json != NULL && strcmp (opts->json, "-") != 0 && done < to_run &&
          g_get_monotonic_time () - last_checkpoint >= SWEEP_CHECKPOINT_SECONDS * G_USEC_PER_SEC)
        {
          checkpoint (opts, grid, rows, n_runs, shard_text);
          last_checkpoint = g_get_monotonic_time ();
        }
    }
  /* Stopped or failed: the runs under way end at their next iteration, the queued ones not
   * at all; finished rows still count. */
  sim_sweep_cancel (engine);
  sim_sweep_wait (engine, TRUE);
  for (Result *result; (result = g_async_queue_try_pop (results)) != NULL;)
    {
      if (result->row != NULL)
        {
          rows[result->index] = result->row;
          done++;
        }
      g_free (result->error);
      g_free (result);
    }
  g_async_queue_unref (results);
  sim_sweep_free (engine);
  cli_progress_clear (&progress);
  cli_stop_end ();

  {
    guint64 have = 0;
    gboolean complete;

    for (guint64 r = shard_index - 1; r < n_runs; r += shard_count)
      have += rows[r] != NULL;
    complete = have == to_run + held;
    if (!write_outputs (opts->json, opts->csv, opts->summary_csv, grid, rows, n_runs,
                        shard_text, complete))
      failed = TRUE;
    if (!complete && cli_stop_requested ())
      {
        int signo = cli_stop_requested ();
        gboolean resumable = opts->json != NULL && strcmp (opts->json, "-") != 0;

        if (resumable)
          fprintf (stderr, "mesascope-cli sweep: interrupted; %" G_GUINT64_FORMAT " of %"
                   G_GUINT64_FORMAT " runs written; '--resume %s' with the same options "
                   "completes the sweep\n", have, to_run + held, opts->json);
        else
          fprintf (stderr, "mesascope-cli sweep: interrupted; %" G_GUINT64_FORMAT " of %"
                   G_GUINT64_FORMAT " runs written (only a --json file can be resumed)\n",
                   have, to_run + held);
        rc = 128 + signo;
      }
    else
      {
        rc = failed || !complete ? CLI_EXIT_FAIL : CLI_EXIT_OK;
      }
  }

  free_rows (rows, n_runs);
  return rc;
}

int
cli_sweep (int    argc,
           char **argv)
{
  Options opts = { 0 };
  CliSweepGrid grid;
  int rc;

  opts.merge_files = g_ptr_array_new ();
  cli_sweep_grid_init (&grid);
  rc = parse_options (argc, argv, &opts);
  if (rc >= 0)
    goto out;
  if (opts.merge)
    {
      for (int k = 0; k < CLI_SWEEP_N_AXES; k++)
        if (G_STRUCT_MEMBER (const char *, &opts.lists, cli_sweep_lists[k].offset) != NULL)
          {
            rc = cli_usage_error ("sweep", "--merge: %s is not for a merge (the files name "
                                  "their sweep)", cli_sweep_lists[k].name);
            goto out;
          }
      if (opts.lists.no_near_corner || opts.jobs != NULL || opts.shard != NULL ||
          opts.resume != NULL)
        {
          rc = cli_usage_error ("sweep", "--merge: %s is not for a merge",
                                opts.lists.no_near_corner ? "--no-near-corner"
                                : opts.jobs != NULL ? "--jobs"
                                : opts.shard != NULL ? "--shard" : "--resume");
          goto out;
        }
      if (opts.merge_files->len == 0)
        {
          rc = cli_usage_error ("sweep", "--merge needs the --json files of the shards");
          goto out;
        }
      {
        CliFile outputs[] = {
          { "--json", opts.json }, { "--csv", opts.csv }, { "--summary-csv", opts.summary_csv },
        };
        g_autofree CliFile *inputs = g_new (CliFile, opts.merge_files->len);

        for (guint f = 0; f < opts.merge_files->len; f++)
          inputs[f] = (CliFile) { "--merge", g_ptr_array_index (opts.merge_files, f) };
        rc = cli_check_files ("sweep", outputs, G_N_ELEMENTS (outputs), inputs,
                              opts.merge_files->len);
        if (rc >= 0)
          goto out;
      }
      rc = merge (&opts);
      goto out;
    }

  grid.no_near_corner = opts.lists.no_near_corner;
  for (int k = 0; k < CLI_SWEEP_N_AXES; k++)
    {
      const char *list = G_STRUCT_MEMBER (const char *, &opts.lists, cli_sweep_lists[k].offset);

      if (list != NULL && (rc = read_list (list, k, &grid)) >= 0)
        goto out;
    }
  rc = sweep_runs (&opts, &grid);

out:
  cli_sweep_grid_clear (&grid);
  g_ptr_array_unref (opts.merge_files);
  return rc;
}

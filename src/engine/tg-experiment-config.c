/* SPDX-License-Identifier: MIT */
/* tg-experiment-config.c — the protocol's settings: the paper's defaults, validation of every
 * value a user can type, the memory a configuration needs, and which data set it runs on.
 * Not here: running the protocol (tg-experiment.c). */
#include "tg-experiment-config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

void
tg_experiment_config_init_paper (TgExperimentConfig *cfg)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->seeds = 3;
  cfg->seed0 = 0;
  cfg->angle = 45.0;
  cfg->foundation_epochs = 2;
  cfg->adapt_epochs = 1;
  cfg->lr = 0.01f;
  cfg->momentum = 0.9f;
  cfg->sharpness = 5.0f;
  cfg->lambda = 0.0f;
  cfg->batch = 256;
  cfg->n_hidden = 2;
  cfg->width = 128;
  cfg->lora_rank = 8;
  cfg->lora_alpha = 8.0f;
  cfg->high_act_samples = 256;
  cfg->on_threshold = 0.9f;
  cfg->methods = (1u << TG_N_METHODS) - 1;
  cfg->overlap = TRUE;
  g_strlcpy (cfg->data_name, "MNIST", sizeof cfg->data_name);
  cfg->data_is_mnist = TRUE;
}

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Sets a TG_ERROR_INVALID error and returns FALSE, so each check reads as one statement. */
static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, TG_ERROR, TG_ERROR_INVALID, message);
  return FALSE;
}

/* Every comparison is written so that NaN fails it. */
gboolean
tg_experiment_config_validate (const TgExperimentConfig *cfg, GError **error)
{
  if (cfg->seeds < 1 || cfg->seeds > 1000)
    return invalid (error, "--seeds must be between 1 and 1000 (got %u)", cfg->seeds);
  if (!(isfinite (cfg->angle) && fabs (cfg->angle) <= 360.0))
    return invalid (error, "--angle must be a number of degrees between -360 and 360 (got %g)",
                    cfg->angle);
  if (cfg->foundation_epochs > 1000)
    return invalid (error, "--foundation-epochs must be at most 1000 (got %u)",
                    cfg->foundation_epochs);
  if (cfg->adapt_epochs > 1000)
    return invalid (error, "--adapt-epochs must be at most 1000 (got %u)", cfg->adapt_epochs);
  if (!(isfinite (cfg->lr) && cfg->lr > 0.0f && cfg->lr < 100.0f))
    return invalid (error, "--lr must be a positive number below 100 (got %g)", cfg->lr);
  if (!(cfg->momentum >= 0.0f && cfg->momentum < 1.0f))
    return invalid (error, "momentum must be in [0, 1) (got %g)", cfg->momentum);
  if (!(cfg->sharpness > 0.0f && cfg->sharpness <= 1e4f))
    return invalid (error, "--sharpness must be a positive number up to 10000 (got %g)",
                    cfg->sharpness);
  if (!(cfg->lambda >= 0.0f && cfg->lambda <= 100.0f))
    return invalid (error, "--lambda must be a number between 0 and 100 (got %g)",
                    cfg->lambda);
  if (cfg->batch < 1 || cfg->batch > 65536)
    return invalid (error, "batch size must be between 1 and 65536 (got %u)", cfg->batch);
  if (cfg->n_hidden < 1 || cfg->n_hidden + 1 > TG_MAX_LINEAR)
    return invalid (error, "hidden layers must be between 1 and %d (got %u)",
                    TG_MAX_LINEAR - 1, cfg->n_hidden);
  if (cfg->width < 1 || cfg->width > 65536)
    return invalid (error, "--width must be between 1 and 65536 (got %u)", cfg->width);
  if (cfg->lora_rank < 1 || cfg->lora_rank > 1024)
    return invalid (error, "LoRA rank must be between 1 and 1024 (got %u)", cfg->lora_rank);
  if (!(cfg->lora_alpha > 0.0f && cfg->lora_alpha <= 1e4f))
    return invalid (error, "LoRA alpha must be a positive number (got %g)", cfg->lora_alpha);
  if (!(cfg->on_threshold >= 0.0f && cfg->on_threshold <= 1.0f))
    return invalid (error, "the on-threshold must be in [0, 1] (got %g)", cfg->on_threshold);
  if (cfg->threads > TG_MAX_THREADS)
    return invalid (error, "--threads must be 0 (one per processor) or up to %d (got %u)",
                    TG_MAX_THREADS, cfg->threads);
  if ((cfg->methods & ((1u << TG_N_METHODS) - 1)) == 0)
    return invalid (error, "no method selected");
  if (cfg->n_foundation_angles > TG_MAX_MIX_MODES)
    return invalid (error, "--foundation-angles takes between 1 and %d angles (got %u)",
                    TG_MAX_MIX_MODES, cfg->n_foundation_angles);
  for (guint32 k = 0; k < cfg->n_foundation_angles; k++)
    if (!(isfinite (cfg->foundation_angles[k]) && fabs (cfg->foundation_angles[k]) <= 360.0))
      return invalid (error, "--foundation-angles: angle %u is not a number of degrees "
                      "between -360 and 360 (got %g)", k + 1, cfg->foundation_angles[k]);
  if (memchr (cfg->data_name, '\0', sizeof cfg->data_name) == NULL)
    return invalid (error, "the data set's name is not terminated");
  return TRUE;
}

guint32
tg_experiment_config_foundation_angles (const TgExperimentConfig *cfg, double *out)
{
  if (cfg->n_foundation_angles == 0 || cfg->n_foundation_angles > TG_MAX_MIX_MODES)
    {
      out[0] = 0.0;
      out[1] = cfg->angle;
      return 2;
    }
  memcpy (out, cfg->foundation_angles, cfg->n_foundation_angles * sizeof (double));
  return cfg->n_foundation_angles;
}

char *
tg_experiment_config_foundation_angles_string (const TgExperimentConfig *cfg)
{
  double angles[TG_MAX_MIX_MODES];
  guint32 n = tg_experiment_config_foundation_angles (cfg, angles);
  GString *s = g_string_new (NULL);
  for (guint32 k = 0; k < n; k++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (s, "%s%s", k ? "," : "",
                              g_ascii_formatd (buf, sizeof buf, "%g", angles[k]));
    }
  return g_string_free (s, FALSE);
}

gboolean
tg_experiment_config_is_paper_mix (const TgExperimentConfig *cfg)
{
  double angles[TG_MAX_MIX_MODES];
  guint32 n = tg_experiment_config_foundation_angles (cfg, angles);
  return n == 2 && angles[0] == 0.0 && angles[1] == cfg->angle;
}

guint
tg_experiment_config_threads (const TgExperimentConfig *cfg)
{
  guint threads = cfg->threads ? cfg->threads : (guint) g_get_num_processors ();
  return CLAMP (threads, 1, 64);
}

/* --- memory ----------------------------------------------------------------------------- */

guint64
tg_experiment_config_memory_bytes (const TgExperimentConfig *cfg, guint32 dim,
                                   guint32 n_classes, guint32 n_train, guint32 n_test)
{
  const double f = sizeof (float);
  double dims[TG_MAX_LINEAR + 1];
  guint32 n_linear = MIN (cfg->n_hidden + 1, (guint32) TG_MAX_LINEAR);
  dims[0] = dim;
  for (guint32 l = 1; l < n_linear; l++)
    dims[l] = cfg->width;
  dims[n_linear] = n_classes;

  /* one model: weights, biases, tau and gamma of each unit, LoRA factors */
  double params = 0, units = 0;
  for (guint32 l = 0; l < n_linear; l++)
    {
      params += dims[l] * dims[l + 1] + 3 * dims[l + 1] +
                (double) cfg->lora_rank * (dims[l] + dims[l + 1]);
      units += dims[l + 1];
    }
  double model = params * f;
  /* a worker's task: its model, the gradient and the momentum, a workspace of a few
   * activations per unit per example, and the batch it gathers */
  double batch = cfg->batch;
  double task = 3 * model + 8 * batch * (units + dims[0]) * f + batch * (dims[0] + dims[1]) * f;
  /* a live seed: its foundation and the first-layer products of the sets it reuses */
  double z1_rows = (double) n_train + 2.0 * n_test + (cfg->overlap ? n_train : 0);
  double seed = model + (cfg->no_reuse ? 0 : z1_rows * dims[1] * f);
  /* both modes of the training and test sets, as bytes, and the training set at each other
   * angle of the foundation's mix */
  double data = 2.0 * ((double) n_train + n_test) * (dim + 1.0);
  double angles[TG_MAX_MIX_MODES];
  guint32 n_angles = tg_experiment_config_foundation_angles (cfg, angles);
  for (guint32 k = 0; k < n_angles; k++)
    if (angles[k] != 0.0 && angles[k] != cfg->angle)
      data += (double) n_train * (dim + 1.0);

  guint threads = tg_experiment_config_threads (cfg);
  guint live_seeds = MIN (threads, MAX (cfg->seeds, 1));
  /* the process itself: libraries, OpenBLAS's buffers, the allocator's slack */
  double runtime = 64e6;
  double total = runtime + data + live_seeds * seed + threads * task;
  return total >= (double) G_MAXUINT64 ? G_MAXUINT64 : (guint64) total;
}

char *
tg_format_memory (guint64 bytes)
{
  /* plain ASCII: g_format_size puts a no-break space that a C-locale terminal shows as '?' */
  if (bytes >= 1000000000)
    return g_strdup_printf ("%.1f GB", bytes / 1e9);
  return g_strdup_printf ("%.0f MB", ceil (bytes / 1e6));
}

guint64
tg_physical_memory_bytes (void)
{
  long pages = sysconf (_SC_PHYS_PAGES);
  long page = sysconf (_SC_PAGESIZE);
  if (pages <= 0 || page <= 0)
    return 0;
  return (guint64) pages * (guint64) page;
}

gboolean
tg_experiment_config_check_memory (const TgExperimentConfig *cfg, guint32 dim,
                                   guint32 n_classes, guint32 n_train, guint32 n_test,
                                   guint64 *needed, GError **error)
{
  guint64 bytes = tg_experiment_config_memory_bytes (cfg, dim, n_classes, n_train, n_test);
  guint64 phys = tg_physical_memory_bytes ();
  if (needed != NULL)
    *needed = bytes;
  if (phys == 0 || bytes <= phys)
    return TRUE;
  g_autofree char *need = tg_format_memory (bytes);
  g_autofree char *have = tg_format_memory (phys);
  g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
               "this configuration needs about %s of memory but the machine has %s: "
               "--width %u on %u threads with %u training and %u test images; lower --width, "
               "--threads or the image limits", need, have, cfg->width,
               tg_experiment_config_threads (cfg), n_train, n_test);
  return FALSE;
}

/* --- the data set ------------------------------------------------------------------------ */

/* SHA-256 of MNIST's training images, training labels, test images and test labels, in that
 * order, decoded (without the IDX headers). */
#define MNIST_SHA256 "06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16"

gboolean
tg_dataset_pair_is_mnist (const TgDataset *train, const TgDataset *test)
{
  g_return_val_if_fail (train != NULL && test != NULL, FALSE);
  if (train->n != 60000 || test->n != 10000 || train->dim != 784 || test->dim != 784)
    return FALSE;
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, train->pixels, (gssize) train->n * train->dim);
  g_checksum_update (sum, train->labels, train->n);
  g_checksum_update (sum, test->pixels, (gssize) test->n * test->dim);
  g_checksum_update (sum, test->labels, test->n);
  return strcmp (g_checksum_get_string (sum), MNIST_SHA256) == 0;
}

void
tg_experiment_config_set_data (TgExperimentConfig *cfg, const char *name, const char *dir,
                               const TgDataset *train, const TgDataset *test)
{
  cfg->data_is_mnist = tg_dataset_pair_is_mnist (train, test);
  g_autofree char *base = dir != NULL ? g_path_get_basename (dir) : g_strdup ("data");
  const char *chosen = name != NULL && *name ? name : cfg->data_is_mnist ? "MNIST" : base;
  /* cut at a character boundary: the name goes into UTF-8 titles */
  g_utf8_strncpy (cfg->data_name, g_utf8_validate (chosen, -1, NULL) ? chosen : "data",
                  sizeof cfg->data_name / 4 - 1);
}

const char *
tg_experiment_config_data_name (const TgExperimentConfig *cfg)
{
  return cfg->data_name[0] != '\0' ? cfg->data_name : "data";
}

gboolean
tg_experiment_config_is_paper_setting (const TgExperimentConfig *cfg)
{
  return cfg->data_is_mnist && fabs (cfg->angle - 45.0) < 1e-9 &&
         tg_experiment_config_is_paper_mix (cfg);
}

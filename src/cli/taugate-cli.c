/* SPDX-License-Identifier: MIT */
/* taugate-cli.c — the options and helpers the subcommands share (see taugate-cli.h). */
#include "taugate-cli.h"

#include <glib/gi18n.h>
#include "tg-modes.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
tg_cli_printf (const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  vfprintf (stdout, fmt, ap);
  va_end (ap);
}

/* --- shared options ------------------------------------------------------------------- */

void
tg_cli_options_init (TgCliOptions *o)
{
  TgExperimentConfig paper;
  tg_experiment_config_init_paper (&paper);
  memset (o, 0, sizeof *o);
  o->seeds = (int) paper.seeds;
  o->angle = paper.angle;
  o->foundation_epochs = (int) paper.foundation_epochs;
  o->adapt_epochs = (int) paper.adapt_epochs;
  o->lr = paper.lr;
  o->sharpness = paper.sharpness;
  o->lambda = paper.lambda;
  o->width = (int) paper.width;
  o->threads = 0;
  o->seed = 0;
}

void
tg_cli_options_clear (TgCliOptions *o)
{
  g_free (o->data_dir);
  g_free (o->data_name);
  g_free (o->out_dir);
  g_free (o->foundation);
  g_free (o->methods);
  g_free (o->foundation_angles);
  g_free (o->figure_size);
}

GOptionEntry *
tg_cli_figure_entries (TgCliOptions *o)
{
  GOptionEntry entries[] = {
    { "figure-size", 0, 0, G_OPTION_ARG_STRING, &o->figure_size,
      N_("Figure size: single (3.5 in column), double (7.16 in), page (A4), letter, slide (16:9) "
      "or WxH with a unit in, cm, mm, pt (default 640x400pt)"), "SIZE" },
    { "font-size", 0, 0, G_OPTION_ARG_DOUBLE, &o->font_size,
      N_("Base font size of figures in points (default 8 for single and double, else 10)"), "PT" },
    { NULL }
  };
  return g_memdup2 (entries, sizeof entries);
}

gboolean
tg_cli_figure_setup (const TgCliOptions *o, TgCliFigure *fig, GError **error)
{
  tg_plot_style_init_light (&fig->style);
  fig->width = 640;
  fig->height = 400;
  if (o->figure_size != NULL)
    {
      if (!tg_plot_size_parse (o->figure_size, &fig->width, &fig->height, error))
        {
          g_prefix_error (error, "--figure-size: ");
          return FALSE;
        }
      fig->style.font_size = tg_plot_size_font_size (o->figure_size);
    }
  if (o->font_size != 0)
    {
      if (!(o->font_size >= 4 && o->font_size <= 72))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "--font-size: %g pt is outside 4 to 72 pt", o->font_size);
          return FALSE;
        }
      fig->style.font_size = o->font_size;
    }
  return TRUE;
}

GOptionEntry *
tg_cli_protocol_entries (TgCliOptions *o)
{
  GOptionEntry entries[] = {
    { "seeds", 0, 0, G_OPTION_ARG_INT, &o->seeds, N_("Number of seeds (default 3)"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->seed, N_("First seed; seeds are SEED, SEED+1, ... (default 0)"), "SEED" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &o->data_dir, N_("Folder with the IDX files, plain or .gz (default data/mnist)"), "DIR" },
    { "data-name", 0, 0, G_OPTION_ARG_STRING, &o->data_name, N_("The data set's name in titles (default: MNIST when the files are MNIST's, else the folder's name)"), "NAME" },
    { "angle", 0, 0, G_OPTION_ARG_DOUBLE, &o->angle, N_("Rotation of the target mode in degrees, counter-clockwise (default 45)"), "DEG" },
    { "foundation-epochs", 0, 0, G_OPTION_ARG_INT, &o->foundation_epochs, N_("Epochs of foundation training on its mix of angles (default 2)"), "N" },
    { "foundation-angles", 0, 0, G_OPTION_ARG_STRING, &o->foundation_angles, N_("Angles the foundation trains on, one picked per image uniformly, e.g. 0 or 0,15,30 or 0:90:15 (at most 36; default 0 and --angle, the paper's 50/50 mix)"), "LIST" },
    { "adapt-epochs", 0, 0, G_OPTION_ARG_INT, &o->adapt_epochs, N_("Epochs of specialisation (default 1)"), "N" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &o->lr, N_("SGD learning rate, momentum 0.9 (default 0.01)"), "X" },
    { "sharpness", 's', 0, G_OPTION_ARG_DOUBLE, &o->sharpness, N_("Gate sharpness s in sigmoid(s (z - tau)) (default 5)"), "S" },
    { "anneal-s", 0, 0, G_OPTION_ARG_NONE, &o->anneal_s, N_("Anneal s within each epoch from 1/S to S, batch by batch (HAT's schedule; default: s fixed)"), NULL },
    { "lambda", 0, 0, G_OPTION_ARG_DOUBLE, &o->lambda, N_("Sparsity penalty on the mean gate (default 0)"), "L" },
    { "width", 0, 0, G_OPTION_ARG_INT, &o->width, N_("Width of each of the two hidden layers (default 128)"), "W" },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &o->threads, N_("Worker threads (default 0: one per processor); results do not depend on it"), "T" },
    { "train-limit", 0, 0, G_OPTION_ARG_INT, &o->train_limit, N_("Use only the first N training images (default all)"), "N" },
    { "test-limit", 0, 0, G_OPTION_ARG_INT, &o->test_limit, N_("Use only the first N test images (default all)"), "N" },
    { NULL }
  };
  return g_memdup2 (entries, sizeof entries);
}

static gboolean
foundation_angles_to_config (const char *spec, TgExperimentConfig *cfg, GError **error)
{
  g_autoptr (GArray) angles = tg_angles_parse (spec, error);
  if (angles == NULL)
    {
      g_prefix_error (error, "--foundation-angles: ");
      return FALSE;
    }
  if (angles->len > TG_MAX_MIX_MODES)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "--foundation-angles: %u angles, at most %d", angles->len,
                   TG_MAX_MIX_MODES);
      return FALSE;
    }
  cfg->n_foundation_angles = angles->len;
  for (guint k = 0; k < angles->len; k++)
    cfg->foundation_angles[k] = g_array_index (angles, double, k);
  return TRUE;
}

/* Folds the options into an engine configuration. */
gboolean
tg_cli_options_to_config (const TgCliOptions *o, TgExperimentConfig *cfg, GError **error)
{
  tg_experiment_config_init_paper (cfg);
  /* the engine's fields are unsigned: a negative count would wrap into a valid-looking one */
  struct { const char *name; gint64 value, min; } counts[] = {
    { "--seeds", o->seeds, 1 }, { "--seed", o->seed, 0 },
    { "--foundation-epochs", o->foundation_epochs, 0 }, { "--adapt-epochs", o->adapt_epochs, 0 },
    { "--width", o->width, 1 }, { "--threads", o->threads, 0 },
    { "--train-limit", o->train_limit, 0 }, { "--test-limit", o->test_limit, 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    if (counts[i].value < counts[i].min)
      {
        g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "%s must be %s (got %" G_GINT64_FORMAT
                     ")%s", counts[i].name, counts[i].min > 0 ? "positive" : "0 or more",
                     counts[i].value,
                     strcmp (counts[i].name, "--threads") == 0 ? "; 0 means one per processor"
                                                                : "");
        return FALSE;
      }
  cfg->seeds = (guint32) o->seeds;
  cfg->seed0 = (guint64) o->seed;
  cfg->angle = o->angle;
  cfg->foundation_epochs = (guint32) o->foundation_epochs;
  cfg->adapt_epochs = (guint32) o->adapt_epochs;
  cfg->lr = (float) o->lr;
  cfg->sharpness = (float) o->sharpness;
  cfg->anneal_sharpness = o->anneal_s;
  cfg->lambda = (float) o->lambda;
  cfg->width = (guint32) o->width;
  cfg->train_limit = (guint32) o->train_limit;
  cfg->test_limit = (guint32) o->test_limit;
  cfg->overlap = !o->no_overlap;
  cfg->threads = (guint32) o->threads;
  if (o->foundation_angles != NULL && !foundation_angles_to_config (o->foundation_angles, cfg,
                                                                    error))
    return FALSE;
  if (o->methods != NULL)
    {
      g_auto (GStrv) ids = g_strsplit (o->methods, ",", -1);
      cfg->methods = 0;
      for (guint i = 0; ids[i]; i++)
        {
          TgMethod m;
          g_strstrip (ids[i]);
          if (!tg_method_from_string (ids[i], &m))
            {
              g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                           "--methods: unknown method \"%s\"; the methods are frozen, bitfit, taugate, "
                           "gainonly, tauonly, lora, full", ids[i]);
              return FALSE;
            }
          cfg->methods |= 1u << m;
        }
    }
  return tg_experiment_config_validate (cfg, error);
}

TgModeData *
tg_cli_load_mode_data (const char *dir, const char *data_name, TgExperimentConfig *cfg,
                       guint64 *memory, GError **error)
{
  g_autoptr (TgDataset) train = tg_dataset_load_dir (dir, "train", 10, error);
  if (train == NULL)
    return NULL;
  g_autoptr (TgDataset) test = tg_dataset_load_dir (dir, "t10k", 10, error);
  if (test == NULL)
    return NULL;
  tg_experiment_config_set_data (cfg, data_name, dir, train, test);
  g_autoptr (TgModeData) data = tg_mode_data_new (train, test, cfg->angle, cfg->train_limit,
                                                  cfg->test_limit, error);
  if (data == NULL)
    {
      g_prefix_error (error, "%s: ", dir);
      return NULL;
    }
  if (!tg_experiment_config_check_memory (cfg, data->train0->dim, data->train0->n_classes,
                                          data->train0->n, data->test0->n, memory, error))
    return NULL;
  return g_steal_pointer (&data);
}


/* SPDX-License-Identifier: MIT */
/* test-session-untrusted.c — the session reader (tg_session_load) given hostile folders.
 *
 * session.json goes through the strict JSON gate: deep nesting hidden behind a comment or a
 * single-quoted string, which overflowed json-glib's stack, and any other lenient JSON are
 * refused naming the file. Counts that size allocations (a sweep's seeds) and every string a
 * session holds are bounded. Runs CSVs are read line by line: a header and many MiB of
 * newlines or commas is refused at line 2 within a memory limit that splitting the whole file
 * exceeds. Errors quote at most a short escaped excerpt of a field or a line. Cases that
 * crashed or ran out of memory run in a subprocess, so one failure fails only its case. */
#include "tg-session.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cli-test-util.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TG_HAS_ASAN 1
#endif
#endif
#ifndef TG_HAS_ASAN
#define TG_HAS_ASAN 0
#endif

static char *tmp_dir;

/* A small session: one run with curves, a marker, settings with a data folder, a λ sweep. */
static TgSession *
make_session (void)
{
  TgSession *s = tg_session_new ();
  TgSessionRun *run = tg_session_run_new ("TauGate · seed 3 · #1");
  TgSweepPoint pt = { 0 };

  json_object_set_string_member (s->settings, "method", "taugate");
  json_object_set_string_member (s->settings, "data_dir", "/data/mnist");
  json_object_set_string_member (run->info, "method", "taugate");
  tg_session_run_add_marker (run, 12, "λ=0.1");
  for (guint i = 0; i < 5; i++)
    {
      double row[4] = { i, 1.0 / (i + 1), 0.5, 0.25 };
      tg_session_table_append (run->curves, row);
    }
  g_ptr_array_add (s->runs, run);

  s->sweep = g_new0 (TgSweepResults, 1);
  tg_experiment_config_init_paper (&s->sweep->config.protocol);
  s->sweep->config.protocol.seeds = 1;
  s->sweep->lambdas = g_new (double, 2);
  s->sweep->lambdas[0] = 0;
  s->sweep->lambdas[1] = 0.3;
  s->sweep->sharpness = g_new (double, 1);
  s->sweep->sharpness[0] = 5;
  s->sweep->config.n_lambdas = 2;
  s->sweep->config.n_sharpness = 1;
  s->sweep->points = g_array_new (FALSE, TRUE, sizeof (TgSweepPoint));
  pt.sharpness = 5;
  pt.n_layers = 2;
  g_array_append_val (s->sweep->points, pt);
  pt.lambda = 0.3;
  g_array_append_val (s->sweep->points, pt);
  return s;
}

/* A fresh copy of the good session in tmp_dir/NAME; returns its folder. */
static char *
good_copy (const char *name)
{
  g_autoptr (TgSession) s = make_session ();
  g_autoptr (GError) error = NULL;
  char *dir = g_build_filename (tmp_dir, name, NULL);
  g_assert_true (tg_session_save (s, dir, &error));
  g_assert_no_error (error);
  return dir;
}

static void
write_file (const char *dir, const char *name, const char *text, gsize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (path, text, (gssize) len, &error));
  g_assert_no_error (error);
}

/* Replaces the first `from` in dir's session.json by `to`. */
static void
rewrite_json (const char *dir, const char *from, const char *to)
{
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  g_autoptr (GString) edited = g_string_new (text);
  g_assert_cmpuint (g_string_replace (edited, from, to, 1), ==, 1);
  write_file (dir, "session.json", edited->str, edited->len);
}

/* The load fails, its message naming `file` (and holding `needle` unless NULL); the message. */
static char *
assert_refused (const char *dir, const char *file, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgSession) r = tg_session_load (dir, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  g_test_message ("refused: %.300s", error->message);
  g_assert_nonnull (strstr (error->message, file));
  if (needle != NULL)
    g_assert_nonnull (strstr (error->message, needle));
  return g_strdup (error->message);
}

static void
test_good_loads (void)
{
  g_autofree char *dir = good_copy ("good");
  g_autoptr (GError) error = NULL;
  g_autoptr (TgSession) r = tg_session_load (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->runs->len, ==, 1);
  g_assert_cmpuint (r->sweep->points->len, ==, 2);
}

/* {"format": /\* " *\/ ..., "deep": [[[...]]]}: the quote in the comment hid the brackets. */
static void
test_deep_behind_comment (gconstpointer data)
{
  const char *head = data;
  if (g_test_subprocess ())
    {
      g_autofree char *dir = good_copy ("deep");
      GString *s = g_string_new (head);
      for (guint i = 0; i < 200000; i++)
        g_string_append_c (s, '[');
      for (guint i = 0; i < 200000; i++)
        g_string_append_c (s, ']');
      g_string_append_c (s, '}');
      write_file (dir, "session.json", s->str, s->len);
      g_string_free (s, TRUE);
      g_free (assert_refused (dir, "deep/session.json", "strict JSON"));
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* What json-glib takes and RFC 8259 does not is refused, not read. */
static void
test_lenient_json (void)
{
  struct { const char *from, *to; } cases[] = {
    { "\"version\" : 1", "\"version\" : 1 /* comment */" },
    { "\"version\" : 1", "'version' : 1" },
    { "\"version\" : 1", "\"version\" : 1," },
    { "\"version\" : 1", "\"version\" : 0x1" },
    { "\"timing_images\" : 0", "\"timing_images\" : NaN" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("lenient-%u", i);
      g_autofree char *dir = good_copy (name);
      g_autofree char *file = g_strdup_printf ("%s/session.json", name);
      rewrite_json (dir, cases[i].from, cases[i].to);
      g_free (assert_refused (dir, file, "strict JSON"));
    }
}

/* A string of n bytes of c. */
static char *
filled (gsize n, char c)
{
  return g_strnfill (n, c);
}

/* Every string a session holds is bounded: paths, names, labels, the view's metadata. */
static void
test_strings_bounded (void)
{
  g_autofree char *a = good_copy ("long-data-dir");
  g_autofree char *b = good_copy ("long-run-name");
  g_autofree char *c = good_copy ("long-label");
  g_autofree char *d = g_build_filename (tmp_dir, "long-view-meta", NULL);
  g_autofree char *dir5000 = filled (5000, 'd');
  g_autofree char *name300 = filled (300, 'n');
  g_autofree char *to_a = g_strdup_printf ("\"/%s\"", dir5000);
  g_autofree char *to_b = g_strdup_printf ("\"%s\"", name300);
  g_autofree char *to_c = g_strdup_printf ("\"%s\"", name300);

  rewrite_json (a, "\"/data/mnist\"", to_a);
  g_free (assert_refused (a, "long-data-dir/session.json", NULL));
  rewrite_json (b, "\"TauGate · seed 3 · #1\"", to_b);
  g_free (assert_refused (b, "long-run-name/session.json", "name"));
  rewrite_json (c, "\"λ=0.1\"", to_c);
  g_free (assert_refused (c, "long-label/session.json", "label"));

  g_autoptr (TgSession) s = make_session ();
  g_autoptr (GError) error = NULL;
  g_hash_table_insert (s->view_metadata, g_strdup ("params.settings"), filled (5000, 's'));
  g_assert_true (tg_session_save (s, d, &error));
  g_assert_no_error (error);
  g_free (assert_refused (d, "long-view-meta/view.safetensors", NULL));
}

/* A mode renamed to a name longer than a session holds is cut, not saved to be refused. */
static void
test_long_mode_name_round_trip (void)
{
  g_autoptr (TgSession) s = make_session ();
  g_autoptr (GError) error = NULL;
  guint32 widths[1] = { 3 };
  g_autoptr (TgModel) f = tg_model_new (4, 1, widths, 2, 0, 4.0f, &error);
  g_autoptr (TgModel) a = tg_model_copy (f);
  g_autofree char *dir = g_build_filename (tmp_dir, "long-mode-name", NULL);
  g_autofree char *name = filled (1000, 'm');

  g_assert_no_error (error);
  a->method = TG_METHOD_TAUGATE;
  s->modes = tg_modes_new (f);
  tg_modes_attach_model (s->modes, a, 5.0f, "TauGate 45°", 45);
  tg_modes_rename (s->modes, 1, name);
  g_assert_true (tg_session_save (s, dir, &error));
  g_assert_no_error (error);
  g_autoptr (TgSession) r = tg_session_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (tg_modes_get (r->modes, 1)->name), ==, TG_MODES_MAX_NAME);
}

/* Counts that size what the views allocate: a sweep's seeds, and points that do not fill
 * its grid of λ × s × seeds. */
static void
test_sweep_counts (void)
{
  g_autofree char *a = good_copy ("seeds-huge");
  g_autofree char *b = good_copy ("points-short");
  g_autofree char *c = good_copy ("seed-index");

  rewrite_json (a, "\"seeds\" : 1", "\"seeds\" : 4294967295");
  g_free (assert_refused (a, "seeds-huge/session.json", "seeds"));
  rewrite_json (b, "\"seeds\" : 1", "\"seeds\" : 3");
  g_free (assert_refused (b, "points-short/session.json", "points"));
  rewrite_json (c, "\"seed_index\" : 0", "\"seed_index\" : 7");
  g_free (assert_refused (c, "seed-index/session.json", "seed"));
}

/* Under ASan the address space is the sanitizer's; elsewhere it is capped so that reading
 * more than a few times the file runs out of memory instead of passing. */
static void
limit_memory (void)
{
#if defined(__SANITIZE_ADDRESS__) || TG_HAS_ASAN
  g_test_message ("AddressSanitizer: the address space is not capped");
#else
  struct rlimit rl = { 768u << 20, 768u << 20 };
  g_assert_cmpint (setrlimit (RLIMIT_AS, &rl), ==, 0);
#endif
}

/* A runs CSV of its header and 48 MiB of one byte (newlines or commas). Splitting it whole
 * took 42 times the file; read line by line it is refused at line 2. */
static void
test_csv_flood (gconstpointer data)
{
  const char *fill = data;
  if (g_test_subprocess ())
    {
      g_autofree char *dir = good_copy (fill[0] == '\n' ? "newlines" : "commas");
      g_autofree char *csv = g_build_filename (dir, "runs", "001-TauGate-seed-3-1.csv", NULL);
      gsize n = 48u << 20;
      const char *header = "step,loss,acc0,acc_target\n";
      g_autofree char *text = g_malloc (strlen (header) + n);
      memcpy (text, header, strlen (header));
      memset (text + strlen (header), fill[0], n);
      g_assert_true (g_file_set_contents (csv, text, (gssize) (strlen (header) + n), NULL));
      g_clear_pointer (&text, g_free);
      limit_memory ();
      g_free (assert_refused (dir, "001-TauGate-seed-3-1.csv", "line 2"));
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A refused file's message quotes at most a short excerpt: a 1 MB header line or cell would
 * freeze a window laying the message out. A header that is not one (the first line of any
 * file) is described, not quoted. */
static void
test_short_excerpts (void)
{
  g_autofree char *dir = good_copy ("excerpt");
  g_autofree char *huge = filled (1 << 20, 'x');
  g_autofree char *wide = filled (30000, '7');
  g_autofree char *header = g_strdup_printf ("%s\n", huge);
  g_autofree char *cell = g_strdup_printf ("step,loss,acc0,acc_target\n1,2,3,%s\n", huge);
  g_autofree char *wide_cell = g_strdup_printf ("step,loss,acc0,acc_target\n1,2,3,%s!\n", wide);
  const char *passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/sh\n";
  const char *csv = "runs/001-TauGate-seed-3-1.csv";

  write_file (dir, csv, header, strlen (header));
  g_autofree char *m1 = assert_refused (dir, "001-TauGate-seed-3-1.csv", "line 1");
  g_assert_cmpuint (strlen (m1), <, strlen (dir) + 300);
  write_file (dir, csv, cell, strlen (cell));
  g_autofree char *m2 = assert_refused (dir, "001-TauGate-seed-3-1.csv", "line 2");
  g_assert_cmpuint (strlen (m2), <, strlen (dir) + 300);
  write_file (dir, csv, wide_cell, strlen (wide_cell));
  g_autofree char *m3 = assert_refused (dir, "001-TauGate-seed-3-1.csv", "7777…");
  g_assert_cmpuint (strlen (m3), <, strlen (dir) + 300);
  write_file (dir, csv, passwd, strlen (passwd));
  g_autofree char *m4 = assert_refused (dir, "001-TauGate-seed-3-1.csv", "line 1");
  g_assert_null (strstr (m4, "root"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("tg-session-untrusted-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/session-untrusted/good-loads", test_good_loads);
  g_test_add_data_func ("/session-untrusted/deep-behind-comment", "{\"format\": /* \" */ "
                        "\"taugate-session\", \"deep\": ", test_deep_behind_comment);
  g_test_add_data_func ("/session-untrusted/deep-behind-single-quote", "{\"format\": '\"', "
                        "\"deep\": ", test_deep_behind_comment);
  g_test_add_func ("/session-untrusted/lenient-json", test_lenient_json);
  g_test_add_func ("/session-untrusted/strings-bounded", test_strings_bounded);
  g_test_add_func ("/session-untrusted/sweep-counts", test_sweep_counts);
  g_test_add_func ("/session-untrusted/long-mode-name-round-trip", test_long_mode_name_round_trip);
  g_test_add_data_func ("/session-untrusted/csv-newlines", "\n", test_csv_flood);
  g_test_add_data_func ("/session-untrusted/csv-commas", ",", test_csv_flood);
  g_test_add_func ("/session-untrusted/short-excerpts", test_short_excerpts);
  int rc = g_test_run ();
  cli_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}

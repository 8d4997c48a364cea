/* SPDX-License-Identifier: MIT */
/* test-cli-locale.c — taugate and taugate-studio in a plain and in a decimal-comma locale.
 *
 * GLib prints --help in the locale's character set and puts '?' for each character it lacks;
 * under LC_ALL=C (ASCII) and under C.UTF-8 (when the program never called setlocale) "0°",
 * "z − τ" and "[OPTION…]" came out as "0?", "z ? ?" and "[OPTION?]". Under C.UTF-8 the help
 * must show the signs themselves; under C it must be ASCII that spells them, with exactly
 * the question marks the text really has.
 *
 * taugate takes the user's locale for its character set and messages, not for numbers:
 * under de_DE.UTF-8 its files and its terminal both write "0.5". */
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

/* The program's standard output for args under LC_ALL=locale and LANGUAGE=language (unset
 * when NULL); its exit status must be 0. */
static char *
run_in_language (const char *program, const char *const *args, const char *locale,
                 const char *language)
{
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "LC_ALL", locale, TRUE);
  env = language != NULL ? g_environ_setenv (env, "LANGUAGE", language, TRUE)
                         : g_environ_unsetenv (env, "LANGUAGE");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  GError *error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s %s under LC_ALL=%s: %s", program, args[0], locale, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static char *
run_in (const char *program, const char *const *args, const char *locale)
{
  return run_in_language (program, args, locale, NULL);
}

static guint
count_char (const char *s, char c)
{
  guint n = 0;
  for (; *s != '\0'; s++)
    n += *s == c;
  return n;
}

typedef struct {
  const char *args[3];
  const char *utf8[3];   /* signs the help must show under C.UTF-8 */
  const char *ascii[3];  /* and their spelling under C */
} Help;

static void
check_help (const char *program, const Help *h)
{
  g_autofree char *utf8 = run_in (program, h->args, "C.UTF-8");
  g_autofree char *ascii = run_in (program, h->args, "C");
  g_assert_nonnull (strstr (utf8, "--"));

  g_assert_true (g_utf8_validate (utf8, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (h->utf8) && h->utf8[i] != NULL; i++)
    {
      if (strstr (utf8, h->utf8[i]) == NULL)
        g_test_message ("no \"%s\" under C.UTF-8 in:\n%s", h->utf8[i], utf8);
      g_assert_nonnull (strstr (utf8, h->utf8[i]));
    }
  for (const char *p = ascii; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  for (guint i = 0; i < G_N_ELEMENTS (h->ascii) && h->ascii[i] != NULL; i++)
    {
      if (strstr (ascii, h->ascii[i]) == NULL)
        g_test_message ("no \"%s\" under C in:\n%s", h->ascii[i], ascii);
      g_assert_nonnull (strstr (ascii, h->ascii[i]));
    }
  /* no character became a '?': as many as the text has ("Ctrl+?" in the studio's) */
  g_assert_cmpuint (count_char (ascii, '?'), ==, count_char (utf8, '?'));
}

static void
test_taugate (void)
{
  const char *taugate = g_getenv ("TG_TAUGATE");
  g_assert_nonnull (taugate);
  const Help helps[] = {
    { { "reproduce", "--help" }, { "[OPTION…]", "0°" }, { "[OPTION...]", "0 deg" } },
    { { "inspect-unit", "--help" }, { "z − τ", "0°" }, { "z - tau", "0 deg" } },
    { { "bench", "--help" }, { "[OPTION…]" }, { "[OPTION...]" } },
    { { "inspect", "--help" }, { "[OPTION…]" }, { "[OPTION...]" } },
    { { "sweep", "--help" }, { "[OPTION…]" }, { "[OPTION...]" } },
    { { "modes", "--help" }, { "[OPTION…]" }, { "[OPTION...]" } },
    { { "export-peft", "--help" }, { "[OPTION…]" }, { "[OPTION...]" } },
    { { "zoo", "--help" }, { "[OPTION…]", "--angles" }, { "[OPTION...]", "--angles" } },
    { { "--help" }, { "reproduce" }, { "reproduce" } },
  };
  for (guint i = 0; i < G_N_ELEMENTS (helps); i++)
    check_help (taugate, &helps[i]);
}

static void
test_studio (void)
{
  const char *studio = g_getenv ("TG_STUDIO");
  if (studio == NULL)
    {
      g_test_skip ("built without the studio");
      return;
    }
  const Help help = { { "--help-all" }, { "0°/45°", "λ", "“paper”" },
                      { "0 deg/45 deg", "lambda", "\"paper\"" } };
  check_help (studio, &help);
}

/* A small reproduction under LC_ALL=de_DE.UTF-8 (failing, not skipping, without the locale):
 * decimal points in results.csv, the checkpoints' names and the terminal's summary, whose
 * words are German here (the catalogue is found through TAUGATE_LOCALEDIR). */
static void
test_reproduce_under_comma_locale (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    g_test_message ("the locale de_DE.UTF-8 is not installed (./run.sh generates it)");
  g_assert_nonnull (setlocale (LC_NUMERIC, NULL));
  g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");
  setlocale (LC_NUMERIC, saved);

  g_autofree char *root = g_dir_make_tmp ("tg-cli-locale-XXXXXX", NULL);
  g_autofree char *data = cli_test_make_data_dir (root, "stripes");
  g_autofree char *out_dir = g_build_filename (root, "out", NULL);
  const char *args[] = { "reproduce", "--data", data, "--seeds", "1", "--angle", "22.5",
                         "--methods", "taugate", "--no-overlap", "--out", out_dir, NULL };
  g_autofree char *out = run_in (g_getenv ("TG_TAUGATE"), args, "de_DE.UTF-8");
  g_test_message ("%s", out);
  g_autoptr (GRegex) secs = g_regex_new (", [0-9]+\\.[0-9] s\\.\n", 0, 0, NULL);
  g_assert_true (g_regex_match (secs, out, 0, NULL));

  g_autofree char *csv_path = g_build_filename (out_dir, "results.csv", NULL);
  g_autofree char *csv = cli_test_slurp (csv_path);
  g_assert_cmpuint (cli_test_csv_records (csv), ==, 2);  /* the header and TauGate's row */
  g_assert_nonnull (strstr (csv, ",taugate,22.500000,512,0."));
  g_autofree char *adapter = g_build_filename (out_dir, "checkpoints",
                                               "seed0-taugate-22.5deg.safetensors", NULL);
  g_assert_true (g_file_test (adapter, G_FILE_TEST_IS_REGULAR));
  cli_test_remove_tree (root);
}

/* Under LANGUAGE=de (LC_ALL=de_DE.UTF-8) both programs' --help is German, read from the
 * catalogue meson compiles into the build tree (TAUGATE_LOCALEDIR); the names of commands
 * and options stay as they are. */
static void
expect_help (const char *program, const char *const *args, const char *const *german,
             const char *const *english)
{
  g_autofree char *out = run_in_language (program, args, "de_DE.UTF-8", "de");
  for (guint i = 0; german[i] != NULL; i++)
    {
      if (strstr (out, german[i]) == NULL)
        g_test_message ("no “%s” in %s %s under LANGUAGE=de:\n%s", german[i], program,
                        args[0], out);
      g_assert_nonnull (strstr (out, german[i]));
    }
  for (guint i = 0; english[i] != NULL; i++)
    g_assert_null (strstr (out, english[i]));
}

static void
test_help_german (void)
{
  g_assert_nonnull (g_getenv ("TAUGATE_LOCALEDIR"));
  const char *taugate = g_getenv ("TG_TAUGATE");
  expect_help (taugate, (const char *[]) { "--help", NULL },
               (const char *[]) { "Befehle:", "  reproduce     das Protokoll des Papers ausführen",
                                  "»taugate BEFEHL --help«", NULL },
               (const char *[]) { "Commands:", NULL });
  expect_help (taugate, (const char *[]) { "reproduce", "--help", NULL },
               (const char *[]) { "- die Tabellen 1-3 und Abbildung 1 des Papers reproduzieren",
                                  "Trainiert ein 784-W-W-10-MLP vor",
                                  "--out=DIR", "Ausgabeordner (Vorgabe out)",
                                  "--seeds=N", "Anzahl der Seeds (Vorgabe 3)",
                                  "--figure-size=SIZE", NULL },
               (const char *[]) { "Output folder", "Number of seeds", "Pretrains", NULL });
  const char *studio = g_getenv ("TG_STUDIO");
  if (studio == NULL)
    return;
  expect_help (studio, (const char *[]) { "--help-all", NULL },
               (const char *[]) { "--autostart", "Sofort mit dem Training beginnen",
                                  "Zusehen, wie sich ein eingefrorenes MLP", "Tasten: Leertaste",
                                  NULL },
               (const char *[]) { "Start training at once", NULL });
}

/* The files of dir, relative, sorted. */
static void
list_files (const char *root, const char *rel, GPtrArray *out)
{
  g_autofree char *dir_path = g_build_filename (root, rel, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *sub = *rel != '\0' ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *path = g_build_filename (root, sub, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        list_files (root, sub, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&sub));
    }
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* A file's bytes; in a PDF the one line that differs between any two runs, cairo's
 * /CreationDate (cairo 1.16 has no SOURCE_DATE_EPOCH), is blanked. */
static GBytes *
file_bytes (const char *path)
{
  char *text = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  if (g_str_has_suffix (path, ".pdf"))
    {
      const char key[] = "/CreationDate (D:";
      char *date = memmem (text, len, key, strlen (key));  /* the PDF holds NUL bytes */
      g_assert_nonnull (date);
      for (char *p = date + strlen (key); p < text + len && *p != ')'; p++)
        *p = '0';
    }
  return g_bytes_new_take (text, len);
}

/* taugate reproduce on real MNIST (one seed, 1000 training and 300 test images, every
 * method) under LC_ALL=de_DE.UTF-8 and LANGUAGE=de, where the program's messages are German
 * and printf would write "0,01", writes every file (CSV, LaTeX, the figure's PDF, CSV and
 * LaTeX, the checkpoints with their metadata) with the bytes it writes under LC_ALL=C. */
static void
test_reproduce_files_same_bytes (void)
{
  const char *mnist = cli_test_mnist_dir ();
  if (mnist == NULL)
    return;
  g_autofree char *root = g_dir_make_tmp ("tg-cli-locale-XXXXXX", NULL);
  const char *locales[2] = { "C", "de_DE.UTF-8" };
  char *outs[2];
  for (guint k = 0; k < 2; k++)
    {
      outs[k] = g_build_filename (root, locales[k], NULL);
      const char *args[] = { "reproduce", "--data", mnist, "--seeds", "1", "--train-limit",
                             "1000", "--test-limit", "300", "--foundation-epochs", "1",
                             "--out", outs[k], NULL };
      g_free (run_in_language (g_getenv ("TG_TAUGATE"), args, locales[k],
                               k == 0 ? NULL : "de"));
    }
  GPtrArray *names[2] = { g_ptr_array_new_with_free_func (g_free),
                          g_ptr_array_new_with_free_func (g_free) };
  for (guint k = 0; k < 2; k++)
    {
      list_files (outs[k], "", names[k]);
      g_ptr_array_sort (names[k], compare_names);
    }
  g_assert_cmpuint (names[0]->len, ==, names[1]->len);
  g_assert_cmpuint (names[0]->len, >=, 18);  /* 2 CSV, 3 tables, 4 figure files, 9 checkpoints */
  for (guint i = 0; i < names[0]->len; i++)
    {
      const char *name = g_ptr_array_index (names[0], i);
      g_assert_cmpstr (name, ==, g_ptr_array_index (names[1], i));
      g_autofree char *c_path = g_build_filename (outs[0], name, NULL);
      g_autofree char *de_path = g_build_filename (outs[1], name, NULL);
      g_autoptr (GBytes) c = file_bytes (c_path);
      g_autoptr (GBytes) de = file_bytes (de_path);
      if (!g_bytes_equal (c, de))
        g_test_message ("%s differs under de_DE.UTF-8", name);
      g_assert_true (g_bytes_equal (c, de));
    }
  for (guint k = 0; k < 2; k++)
    {
      g_ptr_array_unref (names[k]);
      g_free (outs[k]);
    }
  cli_test_remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-locale/help", test_taugate);
  g_test_add_func ("/cli-locale/studio-help", test_studio);
  g_test_add_func ("/cli-locale/reproduce-under-comma-locale", test_reproduce_under_comma_locale);
  g_test_add_func ("/cli-locale/help-german", test_help_german);
  g_test_add_func ("/cli-locale/reproduce-files-same-bytes", test_reproduce_files_same_bytes);
  return g_test_run ();
}

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

/* The program's standard output for args under LC_ALL=locale; its exit status must be 0. */
static char *
run_in (const char *program, const char *const *args, const char *locale)
{
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "LC_ALL", locale, TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
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
 * decimal points in results.csv, the checkpoints' names and the terminal's summary. */
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
  g_autoptr (GRegex) secs = g_regex_new ("images per mode, [0-9]+\\.[0-9] s\\.\n", 0, 0, NULL);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-locale/help", test_taugate);
  g_test_add_func ("/cli-locale/studio-help", test_studio);
  g_test_add_func ("/cli-locale/reproduce-under-comma-locale", test_reproduce_under_comma_locale);
  return g_test_run ();
}

/* test-help-locale.c — every --help of taugate and taugate-studio readable in a plain locale.
 *
 * GLib prints --help in the locale's character set and puts '?' for each character it lacks;
 * under LC_ALL=C (ASCII) and under C.UTF-8 (when the program never called setlocale) "0°",
 * "z − τ" and "[OPTION…]" came out as "0?", "z ? ?" and "[OPTION?]". Under C.UTF-8 the help
 * must show the signs themselves; under C it must be ASCII that spells them, with exactly
 * the question marks the text really has. */
#include "cli-test-util.h"

#include <string.h>

/* The program's standard output for args under LC_ALL=locale; its exit status must be 0. */
static char *
help_in (const char *program, const char *const *args, const char *locale)
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
  g_assert_nonnull (strstr (out, "--"));
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
  g_autofree char *utf8 = help_in (program, h->args, "C.UTF-8");
  g_autofree char *ascii = help_in (program, h->args, "C");

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/help-locale/taugate", test_taugate);
  g_test_add_func ("/help-locale/studio", test_studio);
  return g_test_run ();
}

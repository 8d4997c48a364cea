/* SPDX-License-Identifier: MIT */
/* test-json.c — the strict JSON gate (tg-json.h) every JSON text we read passes, and the
 * excerpt (tg-common.h) error messages quote of a file.
 *
 * Accepted: what RFC 8259 allows within the limits, whatever json-glib makes of it. Refused,
 * each with a TG_ERROR_FORMAT naming the file: what json-glib would take but RFC 8259 does not
 * (comments, single quotes, trailing commas, NaN, hex), nesting, strings, values or bytes over
 * the limits, and deep nesting hidden behind a comment or a quote, which crashed json-glib. */
#include "tg-json.h"

#include <string.h>

static const TgJsonLimits limits = { .max_bytes = 4096, .max_depth = 8, .max_string = 32,
                                     .max_values = 100 };

static void
assert_accepted (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_test_message ("accepted? %s", text);
  g_assert_true (tg_json_check ("t.json", text, strlen (text), &limits, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_refused (const char *text, gsize len, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *shown = tg_excerpt (text, (gssize) len);
  g_test_message ("refused? %s", shown);
  g_assert_false (tg_json_check ("t.json", text, len, &limits, NULL, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_FORMAT);
  g_test_message ("  %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "t.json: "));
  if (needle != NULL)
    g_assert_nonnull (strstr (error->message, needle));
}

static void
test_accepts_strict (void)
{
  const char *cases[] = {
    "{}", "[]", "0", "-0", "\"\"", "true", "false", "null", " \t\r\n{ } \n",
    "{\"a\":[1,-2.5e-3,3E+2,0.0,1e308,-9223372036854775808,9223372036854775807]}",
    "{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"u\":\"\\u00e9\\ud834\\udd1e\",\"t\":\"τ γ ✓\"}",
    "[[[[[[[[]]]]]]]]",                       /* 8 deep: the limit */
    "{\"k\":\"01234567890123456789012345\\u0031\"}", /* 32 bytes as written */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_accepted (cases[i]);
}

static void
test_refuses_lenient (void)
{
  const char *cases[] = {
    "{\"a\":1 /* c */}", "{\"a\":1} // c", "# c\n{}", "{'a':1}", "{\"a\":'x'}",
    "[1,]", "{\"a\":1,}", "[,1]", "{,}", "[1 2]", "{\"a\" 1}", "{a:1}",
    "[NaN]", "[Infinity]", "[-Infinity]", "[0x10]", "[01]", "[+1]", "[.5]", "[1.]", "[1e]",
    "[tru]", "[True]", "[nul]", "[\"a\nb\"]", "[\"\\x41\"]", "[\"\\u00g1\"]", "[\"\\u0000\"]",
    "[\"\\ud834\"]", "[\"\\udd1e\"]", "[\"\\ud834\\u0041\"]", "[\"abc", "[1", "{\"a\":",
    "", "   ", "{}{}", "{} x", "[]]", "\xef\xbb\xbf{}", "[9223372036854775808]",
    "[-9223372036854775809]", "[1e400]", "[-1e400]",
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i], strlen (cases[i]), "strict JSON");
  assert_refused ("[\"\xff\"]", 5, "UTF-8");
  assert_refused ("[\"a\0b\"]", 7, "NUL");
  assert_refused ("{}]", 3, "after");
}

static void
test_limits (void)
{
  g_autofree char *big = g_strnfill (limits.max_bytes + 1, ' ');
  big[0] = '[';
  big[limits.max_bytes] = ']';
  assert_refused ("[[[[[[[[[]]]]]]]]]", 18, "nesting deeper than 8 levels");
  assert_refused ("[\"012345678901234567890123456789012\"]", 37, "string longer than 32 bytes");
  assert_refused ("{\"012345678901234567890123456789012\":1}", 39, "string");
  assert_refused (big, limits.max_bytes + 1, "limit");

  GString *many = g_string_new ("[0");
  for (guint i = 2; i < limits.max_values; i++)
    g_string_append (many, ",0");
  g_string_append_c (many, ']');
  /* the array and 99 zeros: 100 values */
  assert_accepted (many->str);
  g_string_insert (many, 1, "0,");
  assert_refused (many->str, many->len, "100 values");
  g_string_free (many, TRUE);
}

/* What crashed the studio: nesting json-glib recurses into, behind a comment or a single
 * quote that hid the brackets from a scan that only knew double-quoted strings. */
static void
test_deep_behind_comment (void)
{
  const TgJsonLimits session = { .max_bytes = 1 << 22, .max_depth = 64, .max_string = 4096,
                                 .max_values = 1 << 20 };
  const char *heads[] = { "{\"a\": /* \" */ ", "{\"a\": '\"', \"b\": ", "{\"a\": " };
  for (guint h = 0; h < G_N_ELEMENTS (heads); h++)
    {
      GString *s = g_string_new (heads[h]);
      g_autoptr (GError) error = NULL;
      for (guint i = 0; i < 200000; i++)
        g_string_append_c (s, '[');
      for (guint i = 0; i < 200000; i++)
        g_string_append_c (s, ']');
      g_string_append_c (s, '}');
      g_assert_null (tg_json_parse_object ("deep.json", s->str, s->len, &session, &error));
      g_assert_error (error, TG_ERROR, TG_ERROR_FORMAT);
      g_assert_true (g_str_has_prefix (error->message, "deep.json: not strict JSON"));
      g_string_free (s, TRUE);
    }
}

static void
test_parse_object (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) p = tg_json_parse_object ("t.json", "{\"a\":{\"b\":[1,{\"c\":null}]}}",
                                                   -1 + sizeof "{\"a\":{\"b\":[1,{\"c\":null}]}}",
                                                   &limits, &error);
  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)));

  const char *refused[] = { "[1]", "\"s\"", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"\\u0062\":2}}",
                            "[{\"x\":1,\"x\":1}]" };
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (JsonParser) q = tg_json_parse_object ("t.json", refused[i], strlen (refused[i]),
                                                       &limits, &e);
      g_assert_null (q);
      g_assert_error (e, TG_ERROR, TG_ERROR_FORMAT);
      g_assert_true (g_str_has_prefix (e->message, "t.json: "));
    }
}

static void
test_excerpt (void)
{
  g_autofree char *longer = g_strnfill (100000, 'x');
  g_autofree char *forty = g_strnfill (TG_EXCERPT_CHARS, 'x');
  g_autofree char *forty_more = g_strconcat (forty, "…", NULL);
  struct { const char *in; gssize len; const char *out; } cases[] = {
    { "plain name", -1, "plain name" },
    { "τ 45°", -1, "τ 45°" },
    { "a\nb\tc\\d\r", -1, "a\\nb\\tc\\\\d\\r" },
    { "\x1b[2J", -1, "\\x1b[2J" },
    { "a\xff" "b", -1, "a\\xffb" },
    { "a\0b", 3, "a\\x00b" },
    { "\xe2\x80\xae" "evil", -1, "\\u202eevil" },   /* a right-to-left override */
    { forty, -1, forty },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = tg_excerpt (cases[i].in, cases[i].len);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
  g_autofree char *cut = tg_excerpt (longer, -1);
  g_assert_cmpstr (cut, ==, forty_more);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/accepts-strict", test_accepts_strict);
  g_test_add_func ("/json/refuses-lenient", test_refuses_lenient);
  g_test_add_func ("/json/limits", test_limits);
  g_test_add_func ("/json/deep-behind-comment", test_deep_behind_comment);
  g_test_add_func ("/json/parse-object", test_parse_object);
  g_test_add_func ("/json/excerpt", test_excerpt);
  return g_test_run ();
}

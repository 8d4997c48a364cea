/* SPDX-License-Identifier: MIT */
/* tg-json.c — the strict JSON gate (see tg-json.h): one iterative pass over the text with an
 * explicit stack of open containers, so no input can make it recurse; then json-glib.
 *
 * Not here: what the members mean (each reader checks its own). */
#include "tg-json.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define MAX_DEPTH_CAP   256
/* A number longer than this is no double or int64 of any writer: "-1.2345678901234567e-308"
 * is 24 characters. */
#define MAX_NUMBER_LEN  64

typedef struct {
  const char         *path;
  const guchar       *s;
  gsize               len, at;
  const TgJsonLimits *limits;
  gsize               values, members;
  GError            **error;
} Scan;

static gboolean fault (Scan *sc, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fault (Scan *sc, const char *format, ...)
{
  va_list ap;
  g_autofree char *what = NULL;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (sc->error, TG_ERROR, TG_ERROR_FORMAT, "%s: not strict JSON (%s at byte %"
               G_GSIZE_FORMAT ")", sc->path, what, sc->at);
  return FALSE;
}

static void
skip_space (Scan *sc)
{
  while (sc->at < sc->len && strchr (" \t\n\r", sc->s[sc->at]) != NULL && sc->s[sc->at] != 0)
    sc->at++;
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The four hex digits after "\u" at sc->at, or -1. */
static int
read_u_escape (Scan *sc)
{
  int v = 0;
  if (sc->len - sc->at < 4)
    return -1;
  for (guint k = 0; k < 4; k++)
    {
      int h = hex_value (sc->s[sc->at + k]);
      if (h < 0)
        return -1;
      v = v * 16 + h;
    }
  sc->at += 4;
  return v;
}

/* A string, sc->at on its opening quote; the text is already valid UTF-8. */
static gboolean
scan_string (Scan *sc)
{
  gsize start = ++sc->at;

  for (;;)
    {
      guchar c;
      if (sc->at >= sc->len)
        return fault (sc, "a string without its closing quote");
      if (sc->at - start > sc->limits->max_string)
        return fault (sc, "a string longer than %" G_GSIZE_FORMAT " bytes",
                      sc->limits->max_string);
      c = sc->s[sc->at];
      if (c == '"')
        break;
      if (c < 0x20)
        return fault (sc, "a control character in a string");
      sc->at++;
      if (c != '\\')
        continue;
      if (sc->at >= sc->len)
        return fault (sc, "a string without its closing quote");
      c = sc->s[sc->at++];
      if (c == 'u')
        {
          int u = read_u_escape (sc);
          if (u < 0)
            return fault (sc, "a \\u escape without four hex digits");
          if (u == 0)
            return fault (sc, "a \\u0000 in a string");
          if (u >= 0xdc00 && u <= 0xdfff)
            return fault (sc, "a lone low surrogate");
          if (u >= 0xd800 && u <= 0xdbff)
            {
              int low;
              if (sc->len - sc->at < 2 || sc->s[sc->at] != '\\' || sc->s[sc->at + 1] != 'u')
                return fault (sc, "a lone high surrogate");
              sc->at += 2;
              low = read_u_escape (sc);
              if (low < 0xdc00 || low > 0xdfff)
                return fault (sc, "a lone high surrogate");
            }
        }
      else if (strchr ("\"\\/bfnrt", c) == NULL || c == 0)
        return fault (sc, "an escape that is not JSON's");
    }
  if (sc->at - start > sc->limits->max_string)
    return fault (sc, "a string longer than %" G_GSIZE_FORMAT " bytes", sc->limits->max_string);
  sc->at++;
  return TRUE;
}

static gsize
digits (Scan *sc)
{
  gsize n = 0;
  while (sc->at < sc->len && g_ascii_isdigit (sc->s[sc->at]))
    sc->at++, n++;
  return n;
}

/* A number by RFC 8259's grammar that json-glib reads as what it says: an integer that fits
 * an int64, or a finite double. */
static gboolean
scan_number (Scan *sc)
{
  gsize start = sc->at, n;
  gboolean integer = TRUE;
  char buf[MAX_NUMBER_LEN + 1];

  if (sc->s[sc->at] == '-')
    sc->at++;
  if (sc->at < sc->len && sc->s[sc->at] == '0')
    sc->at++;
  else if (digits (sc) == 0)
    return fault (sc, "a number without digits");
  if (sc->at < sc->len && sc->s[sc->at] == '.')
    {
      sc->at++;
      integer = FALSE;
      if (digits (sc) == 0)
        return fault (sc, "a number without digits after its point");
    }
  if (sc->at < sc->len && (sc->s[sc->at] == 'e' || sc->s[sc->at] == 'E'))
    {
      sc->at++;
      integer = FALSE;
      if (sc->at < sc->len && (sc->s[sc->at] == '+' || sc->s[sc->at] == '-'))
        sc->at++;
      if (digits (sc) == 0)
        return fault (sc, "a number without digits in its exponent");
    }
  n = sc->at - start;
  if (n > MAX_NUMBER_LEN)
    return fault (sc, "a number of more than 64 characters");
  memcpy (buf, sc->s + start, n);
  buf[n] = '\0';
  if (integer && !g_ascii_string_to_signed (buf, 10, G_MININT64, G_MAXINT64, NULL, NULL))
    return fault (sc, "an integer beyond 64 bits");
  if (!integer && !isfinite (g_ascii_strtod (buf, NULL)))
    return fault (sc, "a number beyond a double's range");
  return TRUE;
}

static gboolean
scan_literal (Scan *sc)
{
  static const char *const words[] = { "true", "false", "null" };
  for (guint k = 0; k < G_N_ELEMENTS (words); k++)
    {
      gsize n = strlen (words[k]);
      if (sc->len - sc->at >= n && memcmp (sc->s + sc->at, words[k], n) == 0)
        {
          sc->at += n;
          return TRUE;
        }
    }
  return fault (sc, "a character that starts no JSON value");
}

/* An object's key and its colon, sc->at before the key. */
static gboolean
scan_key (Scan *sc)
{
  skip_space (sc);
  if (sc->at >= sc->len || sc->s[sc->at] != '"')
    return fault (sc, "an object member without a double-quoted key");
  if (!scan_string (sc))
    return FALSE;
  skip_space (sc);
  if (sc->at >= sc->len || sc->s[sc->at] != ':')
    return fault (sc, "a key without its colon");
  sc->at++;
  sc->members++;
  return TRUE;
}

/* The loop: `stack` holds the open containers' brackets. After a value, the top of the stack
 * says what may follow: ',' or its closing bracket. */
static gboolean
scan (Scan *sc)
{
  guchar stack[MAX_DEPTH_CAP];
  guint depth = 0, max_depth = MIN (sc->limits->max_depth, MAX_DEPTH_CAP);

  for (;;)
    {
      guchar c;
      /* a value */
      skip_space (sc);
      if (sc->at >= sc->len)
        return fault (sc, "the end where a value belongs");
      if (sc->limits->max_values > 0 && ++sc->values > sc->limits->max_values)
        return fault (sc, "more than %" G_GSIZE_FORMAT " values", sc->limits->max_values);
      c = sc->s[sc->at];
      if (c == '{' || c == '[')
        {
          if (depth >= max_depth)
            return fault (sc, "nesting deeper than %u levels", max_depth);
          stack[depth++] = c;
          sc->at++;
          skip_space (sc);
          if (sc->at < sc->len && sc->s[sc->at] == (c == '{' ? '}' : ']'))
            {
              depth--;
              sc->at++;
            }
          else
            {
              if (c == '{' && !scan_key (sc))
                return FALSE;
              continue;
            }
        }
      else if (c == '"')
        {
          if (!scan_string (sc))
            return FALSE;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          if (!scan_number (sc))
            return FALSE;
        }
      else if (!scan_literal (sc))
        return FALSE;

      /* after a value: close containers until one goes on with ',' */
      for (;;)
        {
          guchar open;
          skip_space (sc);
          if (depth == 0)
            return sc->at >= sc->len || fault (sc, "more after the value");
          if (sc->at >= sc->len)
            return fault (sc, "the end inside an array or object");
          open = stack[depth - 1];
          c = sc->s[sc->at++];
          if (c == (open == '{' ? '}' : ']'))
            {
              depth--;
              continue;
            }
          if (c != ',')
            {
              sc->at--;
              return fault (sc, open == '{' ? "neither ',' nor '}' after a member"
                                            : "neither ',' nor ']' after an element");
            }
          skip_space (sc);
          if (sc->at < sc->len && (sc->s[sc->at] == '}' || sc->s[sc->at] == ']'))
            return fault (sc, "a trailing comma");
          if (open == '{' && !scan_key (sc))
            return FALSE;
          break;
        }
    }
}

gboolean
tg_json_check (const char *path, const char *text, gsize len, const TgJsonLimits *limits,
               gsize *members_out, GError **error)
{
  Scan sc = { path, (const guchar *) text, len, 0, limits, 0, 0, error };
  const char *end = NULL;

  g_return_val_if_fail (text != NULL && limits != NULL, FALSE);
  if (len > limits->max_bytes)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: %" G_GSIZE_FORMAT " bytes of JSON, "
                   "more than the limit of %" G_GSIZE_FORMAT, path, len, limits->max_bytes);
      return FALSE;
    }
  if (len > G_MAXSSIZE || !g_utf8_validate_len (text, len, &end))
    {
      sc.at = end != NULL ? (gsize) (end - text) : 0;
      return fault (&sc, "bytes that are not UTF-8, or a NUL byte");
    }
  if (!scan (&sc))
    return FALSE;
  if (members_out != NULL)
    *members_out = sc.members;
  return TRUE;
}

/* Members of every object in the tree; the gate bounded its depth. */
static gsize
count_members (JsonNode *node)
{
  gsize n = 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      JsonObjectIter it;
      JsonNode *member;
      json_object_iter_init (&it, o);
      while (json_object_iter_next (&it, NULL, &member))
        n += 1 + count_members (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        n += count_members (json_array_get_element (a, i));
    }
  return n;
}

JsonParser *
tg_json_parse_object (const char *path, const char *text, gsize len,
                      const TgJsonLimits *limits, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local = NULL;
  gsize members = 0;
  JsonNode *root;

  if (!tg_json_check (path, text, len, limits, &members, error))
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: not valid JSON: %s", path,
                   local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: not a JSON object", path);
      return NULL;
    }
  if (count_members (root) != members)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: a duplicate key in an object (a "
                   "reader could take either value)", path);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

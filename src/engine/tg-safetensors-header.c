/* tg-safetensors-header.c — the safetensors header from raw bytes to a JSON tree.
 *
 * A scan before any parser counts nesting outside strings (so a crafted header cannot
 * overflow the stack of json-glib's recursive parser), allows only strict JSON characters
 * and nothing after the header object; the parsed tree must then have as many members as
 * the scan saw colons, since json-glib keeps only the last of duplicate keys.
 *
 * Not here: the file, the entries and the data (tg-safetensors.c). */
#include "tg-safetensors-header.h"

#include <string.h>

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Outside strings, strict JSON has only structure, numbers and true/false/null. json-glib
 * also takes 'single-quoted' strings, comments and hex numbers; refusing their characters
 * here means the scan and the parser agree on where every string starts and ends. */
static gboolean
is_json_token_char (char c)
{
  return strchr ("{}[]:,\"-+.0123456789eEtrufalsn", c) != NULL || is_json_space (c);
}

static gboolean
refuse_char (const char *path, char c, gsize at, GError **error)
{
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
               "%s: the header is not strict JSON (character 0x%02x at byte %" G_GSIZE_FORMAT
               ")", path, (guchar) c, at);
  return FALSE;
}

/* One pass over the raw header, before any parser: only strict JSON characters, nesting
 * depth outside strings bounded, nothing but whitespace after the first complete value, and
 * every colon outside a string (one per object member) counted, to find duplicate keys after
 * parsing. */
static gboolean
scan_header (const char *path, const char *h, gsize len, gsize *members_out, GError **error)
{
  guint depth = 0;
  gboolean in_string = FALSE, escaped = FALSE, closed = FALSE;
  gsize members = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = h[i];
      if (in_string)
        {
          if ((guchar) c < 0x20)
            return refuse_char (path, c, i, error);
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (closed && !is_json_space (c))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: the header has more after its JSON object (at byte %" G_GSIZE_FORMAT
                       ")", path, i);
          return FALSE;
        }
      if (c == '\0' || !is_json_token_char (c))
        return refuse_char (path, c, i, error);
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > TG_SAFETENSORS_MAX_DEPTH)
            {
              g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                           "%s: the header nests deeper than %d levels", path,
                           TG_SAFETENSORS_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0)
        closed = --depth == 0;
      else if (c == ':')
        members++;
    }
  *members_out = members;
  return TRUE;
}

/* Members of every object in the tree (depth already bounded by the scan). */
static gsize
count_members (JsonNode *node)
{
  gsize n = 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (o);
      for (GList *l = members; l != NULL; l = l->next)
        n += 1 + count_members (json_object_get_member (o, l->data));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (a); i++)
        n += count_members (json_array_get_element (a, i));
    }
  return n;
}

/* Parses a scanned header into its root object; refuses duplicate keys anywhere. */
JsonParser *
tg_safetensors_parse_header (const char *path, const char *header, gsize len, GError **error)
{
  gsize members = 0;
  if (!scan_header (path, header, len, &members, error))
    return NULL;

  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) jerr = NULL;
  if (!json_parser_load_from_data (parser, header, (gssize) len, &jerr))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: header is not valid JSON: %s",
                   path, jerr->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: header is not a JSON object", path);
      return NULL;
    }
  if (count_members (root) != members)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: the header has a duplicate key (a reader could take either value)",
                   path);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

/* tg-fields.c — structs to and from JSON and numbers, field by field (see tg-fields.h). */
#include "tg-fields.h"
#include "tg-session.h"

#include <math.h>
#include <string.h>

/* The largest whole number a field of f's type holds, within f's own max. */
static guint64
uint_max (const TgField *f)
{
  guint64 type_max = f->type == TG_FIELD_U64 ? G_MAXUINT64
                     : f->type == TG_FIELD_SIZE ? G_MAXSIZE
                     : f->type == TG_FIELD_ENUM ? G_MAXINT : G_MAXUINT32;
  return f->max > 0 && f->max < (double) type_max ? (guint64) f->max : type_max;
}

double
tg_field_get (const TgField *f, const void *base)
{
  const guint8 *at = (const guint8 *) base + f->offset;
  switch (f->type)
    {
    case TG_FIELD_U32: return *(const guint32 *) at;
    case TG_FIELD_U64: return (double) *(const guint64 *) at;
    case TG_FIELD_SIZE: return (double) *(const size_t *) at;
    case TG_FIELD_F32: return *(const float *) at;
    case TG_FIELD_F64: return *(const double *) at;
    case TG_FIELD_BOOL: return *(const gboolean *) at ? 1 : 0;
    case TG_FIELD_ENUM: return *(const int *) at;
    case TG_FIELD_METHOD: case TG_FIELD_NAME128: case TG_FIELD_F64_LAYERS:
    case TG_FIELD_U32_LAYERS:
    default: g_assert_not_reached ();
    }
}

gboolean
tg_field_set (const TgField *f, void *base, double v)
{
  guint8 *at = (guint8 *) base + f->offset;
  gboolean real = f->type == TG_FIELD_F32 || f->type == TG_FIELD_F64;

  if (isnan (v))
    {
      if (!real)
        return FALSE;
    }
  else if (real)
    {
      if (f->max > 0 && !(v >= (f->type == TG_FIELD_F64 ? -f->max : 0) && v <= f->max))
        return FALSE;
    }
  else if (f->type == TG_FIELD_BOOL ? !(v == 0 || v == 1)
                                    : !(v >= 0 && v <= (double) uint_max (f) && v == floor (v)))
    return FALSE;
  switch (f->type)
    {
    case TG_FIELD_U32: *(guint32 *) at = (guint32) v; break;
    case TG_FIELD_U64: *(guint64 *) at = (guint64) v; break;
    case TG_FIELD_SIZE: *(size_t *) at = (size_t) v; break;
    case TG_FIELD_F32: *(float *) at = (float) v; break;
    case TG_FIELD_F64: *(double *) at = v; break;
    case TG_FIELD_BOOL: *(gboolean *) at = v != 0; break;
    case TG_FIELD_ENUM: *(int *) at = (int) v; break;
    case TG_FIELD_METHOD: case TG_FIELD_NAME128: case TG_FIELD_F64_LAYERS:
    case TG_FIELD_U32_LAYERS:
    default: g_assert_not_reached ();
    }
  return TRUE;
}

/* ---- to JSON ------------------------------------------------------------------------------ */

/* a whole number: an integer, or a string of digits past G_MAXINT64 (exact, unlike a double) */
static JsonNode *
uint_node (guint64 v)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  if (v > G_MAXINT64)
    {
      g_autofree char *s = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
      json_node_set_string (node, s);
    }
  else
    json_node_set_int (node, (gint64) v);
  return node;
}

void
tg_field_to_json (JsonObject *o, const TgField *f, const void *base)
{
  const void *at = (const guint8 *) base + f->offset;
  JsonArray *a;

  switch (f->type)
    {
    case TG_FIELD_U32: json_object_set_member (o, f->name, uint_node (*(const guint32 *) at)); break;
    case TG_FIELD_U64: json_object_set_member (o, f->name, uint_node (*(const guint64 *) at)); break;
    case TG_FIELD_SIZE: json_object_set_member (o, f->name, uint_node (*(const size_t *) at)); break;
    case TG_FIELD_ENUM: json_object_set_int_member (o, f->name, *(const int *) at); break;
    case TG_FIELD_F32:
      json_object_set_member (o, f->name, tg_session_json_double (*(const float *) at));
      break;
    case TG_FIELD_F64:
      json_object_set_member (o, f->name, tg_session_json_double (*(const double *) at));
      break;
    case TG_FIELD_BOOL: json_object_set_boolean_member (o, f->name, *(const gboolean *) at); break;
    case TG_FIELD_METHOD:
      json_object_set_string_member (o, f->name, tg_method_info (*(const TgMethod *) at)->id);
      break;
    case TG_FIELD_NAME128: json_object_set_string_member (o, f->name, (const char *) at); break;
    case TG_FIELD_F64_LAYERS:
      a = json_array_new ();
      for (guint l = 0; l < TG_MAX_LINEAR; l++)
        json_array_add_element (a, tg_session_json_double (((const double *) at)[l]));
      json_object_set_array_member (o, f->name, a);
      break;
    case TG_FIELD_U32_LAYERS:
      a = json_array_new ();
      for (guint l = 0; l < TG_MAX_LINEAR; l++)
        json_array_add_element (a, uint_node (((const guint32 *) at)[l]));
      json_object_set_array_member (o, f->name, a);
      break;
    default:
      g_assert_not_reached ();
    }
}

JsonObject *
tg_fields_to_json (const TgField *fields, guint n, const void *base)
{
  JsonObject *o = json_object_new ();
  for (guint i = 0; i < n; i++)
    tg_field_to_json (o, &fields[i], base);
  return o;
}

/* ---- from JSON ---------------------------------------------------------------------------- */

/* A whole number in [0, max]: an integer, or a string of digits (past G_MAXINT64). */
static gboolean
json_uint (JsonNode *node, const char *key, const char *file, guint64 max, guint64 *out,
           GError **error)
{
  GType t = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                         : G_TYPE_INVALID;
  if (t == G_TYPE_INT64 && json_node_get_int (node) >= 0 &&
      (guint64) json_node_get_int (node) <= max)
    {
      *out = (guint64) json_node_get_int (node);
      return TRUE;
    }
  if (t == G_TYPE_STRING &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, max, out, NULL))
    return TRUE;
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is %s, not a whole number up to %"
               G_GUINT64_FORMAT, file, key, node == NULL ? "missing" : "out of range or of another type",
               max);
  return FALSE;
}

static gboolean
layers_from_json (JsonObject *o, const TgField *f, const char *file, void *at, GError **error)
{
  JsonArray *a = NULL;
  JsonNode *node = json_object_get_member (o, f->name);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    a = json_node_get_array (node);
  if (a == NULL || json_array_get_length (a) != TG_MAX_LINEAR)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is not an array of %d numbers",
                   file, f->name, TG_MAX_LINEAR);
      return FALSE;
    }
  for (guint l = 0; l < TG_MAX_LINEAR; l++)
    {
      JsonNode *e = json_array_get_element (a, l);
      guint64 u;
      if (f->type == TG_FIELD_U32_LAYERS)
        {
          if (!json_uint (e, f->name, file, G_MAXUINT32, &u, error))
            return FALSE;
          ((guint32 *) at)[l] = (guint32) u;
        }
      else if (JSON_NODE_HOLDS_NULL (e))
        ((double *) at)[l] = NAN;
      else if (JSON_NODE_HOLDS_VALUE (e) && (json_node_get_value_type (e) == G_TYPE_DOUBLE ||
                                             json_node_get_value_type (e) == G_TYPE_INT64))
        ((double *) at)[l] = json_node_get_double (e);
      else
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” holds a value that is not a "
                       "number", file, f->name);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
tg_field_from_json (JsonObject *o, const TgField *f, const char *file, void *base,
                    GError **error)
{
  JsonNode *node = json_object_get_member (o, f->name);
  void *at = (guint8 *) base + f->offset;
  guint64 u;
  double d;
  const char *s;

  switch (f->type)
    {
    case TG_FIELD_U32:
    case TG_FIELD_U64:
    case TG_FIELD_SIZE:
    case TG_FIELD_ENUM:
      if (!json_uint (node, f->name, file, uint_max (f), &u, error))
        return FALSE;
      if (f->type == TG_FIELD_U64)
        *(guint64 *) at = u;
      else
        tg_field_set (f, base, (double) u);
      return TRUE;
    case TG_FIELD_F32:
    case TG_FIELD_F64:
      if (!tg_session_json_number (o, f->name, file, &d, error))
        return FALSE;
      if (tg_field_set (f, base, d))
        return TRUE;
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is out of range", file, f->name);
      return FALSE;
    case TG_FIELD_BOOL:
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        break;
      *(gboolean *) at = json_node_get_boolean (node);
      return TRUE;
    case TG_FIELD_METHOD:
    case TG_FIELD_NAME128:
      s = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
      if (s != NULL && f->type == TG_FIELD_METHOD && tg_method_from_string (s, at))
        return TRUE;
      if (s != NULL && f->type == TG_FIELD_NAME128 && strlen (s) < 128 &&
          g_utf8_validate (s, -1, NULL))
        {
          g_strlcpy (at, s, 128);
          return TRUE;
        }
      break;
    case TG_FIELD_F64_LAYERS:
    case TG_FIELD_U32_LAYERS:
      return layers_from_json (o, f, file, at, error);
    default:
      g_assert_not_reached ();
    }
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is missing or not a valid %s", file,
               f->name, f->type == TG_FIELD_BOOL ? "boolean"
                        : f->type == TG_FIELD_METHOD ? "method" : "name");
  return FALSE;
}

gboolean
tg_fields_from_json (JsonNode *node, const TgField *fields, guint n, const char *file,
                     const char *what, void *base, GError **error)
{
  JsonObject *o;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: %s is not an object", file, what);
      return FALSE;
    }
  o = json_node_get_object (node);
  for (guint i = 0; i < n; i++)
    if (!tg_field_from_json (o, &fields[i], file, base, error))
      {
        g_prefix_error (error, "%s: ", what);
        return FALSE;
      }
  return TRUE;
}

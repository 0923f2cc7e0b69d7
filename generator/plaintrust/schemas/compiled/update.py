"""Generated from update.schema.json by `make golden`; do not edit."""

SCHEMA_DIGEST = '5f0ff8c6095c6509dd0fcc27fb514ddffbe37303304b2bde1d2e7132f3bbf5b8'
VERSION = "2.22.3"
from decimal import Decimal
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'Plaintrust security update front matter', 'description': 'The YAML front matter of site/updates/*.md. Public.', 'type': 'object', 'required': ['title', 'status', 'severity', 'published', 'updated', 'affected'], 'additionalProperties': False, 'properties': {'title': {'type': 'string', 'minLength': 1}, 'status': {'enum': ['investigating', 'identified', 'monitoring', 'resolved']}, 'severity': {'enum': ['informational', 'low', 'medium', 'high', 'critical']}, 'published': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'updated': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'next_update_by': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'affected': {'type': 'string', 'minLength': 1}}, 'if': {'properties': {'status': {'not': {'const': 'resolved'}}}, 'required': ['status']}, 'then': {'required': ['next_update_by']}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'text': {'type': 'string', 'minLength': 1}, 'date': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'month': {'type': 'string', 'pattern': '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])(?!\\n)$', 'description': 'A month, YYYY-MM.'}, 'datetime': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'period': {'type': 'object', 'description': 'A closed date range.', 'required': ['from', 'to'], 'additionalProperties': False, 'properties': {'from': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'to': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}}}, 'frequency': {'enum': ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual'], 'description': 'How often the control operates or is tested.'}, 'refresh': {'description': 'When evidence goes stale after it was collected: a frequency word or a duration such as 90d, 12w, 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'https_url': {'type': 'string', 'pattern': '^https://[^\\s<>"\']+(?!\\n)$', 'description': 'An https:// address.'}, 'contact_url': {'type': 'string', 'pattern': '^(mailto:[^\\s<>"\']+@[^\\s<>"\']+|https://[^\\s<>"\']+)(?!\\n)$', 'description': 'A mailto: address or an https:// page.'}, 'site_path': {'type': 'string', 'pattern': '^(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._~+/-]+(?!\\n)$', 'description': "A path relative to site/: letters, digits and . _ ~ + - /, without '..' (it is written into the pages as is)."}, 'access': {'enum': ['public', 'on-request', 'nda']}}}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['title', 'status', 'severity', 'published', 'updated', 'affected']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'Plaintrust security update front matter', 'description': 'The YAML front matter of site/updates/*.md. Public.', 'type': 'object', 'required': ['title', 'status', 'severity', 'published', 'updated', 'affected'], 'additionalProperties': False, 'properties': {'title': {'type': 'string', 'minLength': 1}, 'status': {'enum': ['investigating', 'identified', 'monitoring', 'resolved']}, 'severity': {'enum': ['informational', 'low', 'medium', 'high', 'critical']}, 'published': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'updated': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'next_update_by': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'affected': {'type': 'string', 'minLength': 1}}, 'if': {'properties': {'status': {'not': {'const': 'resolved'}}}, 'required': ['status']}, 'then': {'required': ['next_update_by']}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'text': {'type': 'string', 'minLength': 1}, 'date': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'month': {'type': 'string', 'pattern': '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])(?!\\n)$', 'description': 'A month, YYYY-MM.'}, 'datetime': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'period': {'type': 'object', 'description': 'A closed date range.', 'required': ['from', 'to'], 'additionalProperties': False, 'properties': {'from': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'to': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}}}, 'frequency': {'enum': ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual'], 'description': 'How often the control operates or is tested.'}, 'refresh': {'description': 'When evidence goes stale after it was collected: a frequency word or a duration such as 90d, 12w, 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'https_url': {'type': 'string', 'pattern': '^https://[^\\s<>"\']+(?!\\n)$', 'description': 'An https:// address.'}, 'contact_url': {'type': 'string', 'pattern': '^(mailto:[^\\s<>"\']+@[^\\s<>"\']+|https://[^\\s<>"\']+)(?!\\n)$', 'description': 'A mailto: address or an https:// page.'}, 'site_path': {'type': 'string', 'pattern': '^(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._~+/-]+(?!\\n)$', 'description': "A path relative to site/: letters, digits and . _ ~ + - /, without '..' (it is written into the pages as is)."}, 'access': {'enum': ['public', 'on-request', 'nda']}}}, rule='required')
        data_keys = set(data.keys())
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            validate____defs_text(data__title, custom_formats, (name_prefix or "data") + ".title")
        if "status" in data_keys:
            data_keys.remove("status")
            data__status = data["status"]
            if not (isinstance(data__status, str) and data__status == 'investigating' or isinstance(data__status, str) and data__status == 'identified' or isinstance(data__status, str) and data__status == 'monitoring' or isinstance(data__status, str) and data__status == 'resolved'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".status must be one of ['investigating', 'identified', 'monitoring', 'resolved']", value=data__status, name="" + (name_prefix or "data") + ".status", definition={'enum': ['investigating', 'identified', 'monitoring', 'resolved']}, rule='enum')
        if "severity" in data_keys:
            data_keys.remove("severity")
            data__severity = data["severity"]
            if not (isinstance(data__severity, str) and data__severity == 'informational' or isinstance(data__severity, str) and data__severity == 'low' or isinstance(data__severity, str) and data__severity == 'medium' or isinstance(data__severity, str) and data__severity == 'high' or isinstance(data__severity, str) and data__severity == 'critical'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".severity must be one of ['informational', 'low', 'medium', 'high', 'critical']", value=data__severity, name="" + (name_prefix or "data") + ".severity", definition={'enum': ['informational', 'low', 'medium', 'high', 'critical']}, rule='enum')
        if "published" in data_keys:
            data_keys.remove("published")
            data__published = data["published"]
            validate____defs_datetime(data__published, custom_formats, (name_prefix or "data") + ".published")
        if "updated" in data_keys:
            data_keys.remove("updated")
            data__updated = data["updated"]
            validate____defs_datetime(data__updated, custom_formats, (name_prefix or "data") + ".updated")
        if "next_update_by" in data_keys:
            data_keys.remove("next_update_by")
            data__nextupdateby = data["next_update_by"]
            validate____defs_datetime(data__nextupdateby, custom_formats, (name_prefix or "data") + ".next_update_by")
        if "affected" in data_keys:
            data_keys.remove("affected")
            data__affected = data["affected"]
            validate____defs_text(data__affected, custom_formats, (name_prefix or "data") + ".affected")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'Plaintrust security update front matter', 'description': 'The YAML front matter of site/updates/*.md. Public.', 'type': 'object', 'required': ['title', 'status', 'severity', 'published', 'updated', 'affected'], 'additionalProperties': False, 'properties': {'title': {'type': 'string', 'minLength': 1}, 'status': {'enum': ['investigating', 'identified', 'monitoring', 'resolved']}, 'severity': {'enum': ['informational', 'low', 'medium', 'high', 'critical']}, 'published': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'updated': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'next_update_by': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'affected': {'type': 'string', 'minLength': 1}}, 'if': {'properties': {'status': {'not': {'const': 'resolved'}}}, 'required': ['status']}, 'then': {'required': ['next_update_by']}, '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'text': {'type': 'string', 'minLength': 1}, 'date': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'month': {'type': 'string', 'pattern': '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])(?!\\n)$', 'description': 'A month, YYYY-MM.'}, 'datetime': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'period': {'type': 'object', 'description': 'A closed date range.', 'required': ['from', 'to'], 'additionalProperties': False, 'properties': {'from': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'to': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}}}, 'frequency': {'enum': ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual'], 'description': 'How often the control operates or is tested.'}, 'refresh': {'description': 'When evidence goes stale after it was collected: a frequency word or a duration such as 90d, 12w, 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'https_url': {'type': 'string', 'pattern': '^https://[^\\s<>"\']+(?!\\n)$', 'description': 'An https:// address.'}, 'contact_url': {'type': 'string', 'pattern': '^(mailto:[^\\s<>"\']+@[^\\s<>"\']+|https://[^\\s<>"\']+)(?!\\n)$', 'description': 'A mailto: address or an https:// page.'}, 'site_path': {'type': 'string', 'pattern': '^(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._~+/-]+(?!\\n)$', 'description': "A path relative to site/: letters, digits and . _ ~ + - /, without '..' (it is written into the pages as is)."}, 'access': {'enum': ['public', 'on-request', 'nda']}}}, rule='additionalProperties')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['status']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'status': {'not': {'const': 'resolved'}}}, 'required': ['status']}, rule='required')
            data_keys = set(data.keys())
            if "status" in data_keys:
                data_keys.remove("status")
                data__status = data["status"]
                try:
                    if not (isinstance(data__status, str) and data__status == 'resolved'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".status must be same as const definition: resolved", value=data__status, name="" + (name_prefix or "data") + ".status", definition={'const': 'resolved'}, rule='const')
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
                else:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".status must NOT match a disallowed definition", value=data__status, name="" + (name_prefix or "data") + ".status", definition={'not': {'const': 'resolved'}}, rule='not')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['next_update_by']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['next_update_by']}, rule='required')
    return data

def validate____defs_datetime(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, rule='type')
    if isinstance(data, str):
        if not custom_formats["date-time"](data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be date-time", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, rule='format')
    return data

def validate____defs_text(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'minLength': 1}, rule='type')
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 1 characters", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
    return data

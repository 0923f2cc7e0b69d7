"""Generated from policy.schema.json by `make golden`; do not edit."""

SCHEMA_DIGEST = '99e572e0ea277c53ca56a3bc45790c122e97f344a0583cce1c478e36ed27c5d7'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$': re.compile('^[a-z0-9][a-z0-9-]{0,63}(?!\\n)\\Z'),
    '\\S': re.compile('\\S'),
    '^[0-9A-Za-z][0-9A-Za-z._-]*$': re.compile('^[0-9A-Za-z][0-9A-Za-z._-]*\\Z'),
    '^[1-9][0-9]{0,3}[dwmy](?!\\n)$': re.compile('^[1-9][0-9]{0,3}[dwmy](?!\\n)\\Z'),
    '^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$': re.compile('^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)\\Z'),
    '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$': re.compile('^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'Plaintrust policy front matter', 'description': 'The YAML front matter of policies/**/*.md. `owner` and `approved_by` are internal; the rest is public when `public` allows. Without `approved_on` and `approved_by` the policy is a draft: checked, never published.', 'type': 'object', 'required': ['id', 'title', 'version', 'owner', 'review', 'effective', 'public'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$', 'not': {'enum': ['index', 'readme']}, 'description': "Unique among the policies, e.g. access-control: lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters. It is the address of the policy's page (policies/ID/), so it is never index or readme, and has no capitals, which web servers and file systems may ignore."}, 'title': {'type': 'string', 'pattern': '\\S', 'description': "The policy's title, as customers see it (some text, not blank)."}, 'version': {'type': 'string', 'minLength': 1, 'maxLength': 32, 'pattern': '^[0-9A-Za-z][0-9A-Za-z._-]*$', 'description': 'The version customers see, e.g. 2.1.'}, 'owner': {'type': 'string', 'pattern': '\\S', 'description': 'Who answers for the policy, not blank (internal: never published).'}, 'approved_by': {'type': 'string', 'pattern': '\\S', 'description': 'Who approved this version, not blank (internal: never published). Set by `plaintrust policy approve`.'}, 'approved_on': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'review': {'description': 'How often the policy is reviewed, counted from `approved_on`: a frequency word (monthly, quarterly, semiannual, annual) or a duration such as 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'effective': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'change': {'type': 'string', 'maxLength': 200, 'pattern': '^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$', 'description': "One line of text, public, at most 200 characters: what this version changed. The trust center's change history shows it per version."}, 'satisfies': {'type': 'object', 'description': 'Framework id (from program.yaml) -> requirement ids of its catalog, as for controls.', 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'additionalProperties': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}}, 'public': {'enum': ['full', 'summary', 'none'], 'description': 'What the trust center shows: the full text, the summary only, or nothing.'}, 'summary': {'type': 'string', 'pattern': '\\S', 'description': 'A plain-language summary for customers (some text, not blank); required when `public` is summary.'}}, 'allOf': [{'if': {'properties': {'public': {'const': 'summary'}}, 'required': ['public']}, 'then': {'required': ['summary']}}, {'if': {'required': ['approved_on']}, 'then': {'required': ['approved_by']}}, {'if': {'required': ['approved_by']}, 'then': {'required': ['approved_on']}}], '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'text': {'type': 'string', 'minLength': 1}, 'date': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'month': {'type': 'string', 'pattern': '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])(?!\\n)$', 'description': 'A month, YYYY-MM.'}, 'datetime': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'period': {'type': 'object', 'description': 'A closed date range.', 'required': ['from', 'to'], 'additionalProperties': False, 'properties': {'from': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'to': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}}}, 'frequency': {'enum': ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual'], 'description': 'How often the control operates or is tested.'}, 'refresh': {'description': 'When evidence goes stale after it was collected: a frequency word or a duration such as 90d, 12w, 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'https_url': {'type': 'string', 'pattern': '^https://[^\\s<>"\']+(?!\\n)$', 'description': 'An https:// address.'}, 'contact_url': {'type': 'string', 'pattern': '^(mailto:[^\\s<>"\']+@[^\\s<>"\']+|https://[^\\s<>"\']+)(?!\\n)$', 'description': 'A mailto: address or an https:// page.'}, 'site_path': {'type': 'string', 'pattern': '^(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._~+/-]+(?!\\n)$', 'description': "A path relative to site/: letters, digits and . _ ~ + - /, without '..' (it is written into the pages as is)."}, 'access': {'enum': ['public', 'on-request', 'nda']}}}, rule='type')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['public']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'public': {'const': 'summary'}}, 'required': ['public']}, rule='required')
            data_keys = set(data.keys())
            if "public" in data_keys:
                data_keys.remove("public")
                data__public = data["public"]
                if not (isinstance(data__public, str) and data__public == 'summary'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".public must be same as const definition: summary", value=data__public, name="" + (name_prefix or "data") + ".public", definition={'const': 'summary'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['summary']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['summary']}, rule='required')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['approved_on']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['approved_on']}, rule='required')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['approved_by']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['approved_by']}, rule='required')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['approved_by']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['approved_by']}, rule='required')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['approved_on']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['approved_on']}, rule='required')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'title', 'version', 'owner', 'review', 'effective', 'public']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'Plaintrust policy front matter', 'description': 'The YAML front matter of policies/**/*.md. `owner` and `approved_by` are internal; the rest is public when `public` allows. Without `approved_on` and `approved_by` the policy is a draft: checked, never published.', 'type': 'object', 'required': ['id', 'title', 'version', 'owner', 'review', 'effective', 'public'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$', 'not': {'enum': ['index', 'readme']}, 'description': "Unique among the policies, e.g. access-control: lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters. It is the address of the policy's page (policies/ID/), so it is never index or readme, and has no capitals, which web servers and file systems may ignore."}, 'title': {'type': 'string', 'pattern': '\\S', 'description': "The policy's title, as customers see it (some text, not blank)."}, 'version': {'type': 'string', 'minLength': 1, 'maxLength': 32, 'pattern': '^[0-9A-Za-z][0-9A-Za-z._-]*$', 'description': 'The version customers see, e.g. 2.1.'}, 'owner': {'type': 'string', 'pattern': '\\S', 'description': 'Who answers for the policy, not blank (internal: never published).'}, 'approved_by': {'type': 'string', 'pattern': '\\S', 'description': 'Who approved this version, not blank (internal: never published). Set by `plaintrust policy approve`.'}, 'approved_on': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'review': {'description': 'How often the policy is reviewed, counted from `approved_on`: a frequency word (monthly, quarterly, semiannual, annual) or a duration such as 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'effective': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'change': {'type': 'string', 'maxLength': 200, 'pattern': '^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$', 'description': "One line of text, public, at most 200 characters: what this version changed. The trust center's change history shows it per version."}, 'satisfies': {'type': 'object', 'description': 'Framework id (from program.yaml) -> requirement ids of its catalog, as for controls.', 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'additionalProperties': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}}, 'public': {'enum': ['full', 'summary', 'none'], 'description': 'What the trust center shows: the full text, the summary only, or nothing.'}, 'summary': {'type': 'string', 'pattern': '\\S', 'description': 'A plain-language summary for customers (some text, not blank); required when `public` is summary.'}}, 'allOf': [{'if': {'properties': {'public': {'const': 'summary'}}, 'required': ['public']}, 'then': {'required': ['summary']}}, {'if': {'required': ['approved_on']}, 'then': {'required': ['approved_by']}}, {'if': {'required': ['approved_by']}, 'then': {'required': ['approved_on']}}], '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'text': {'type': 'string', 'minLength': 1}, 'date': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'month': {'type': 'string', 'pattern': '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])(?!\\n)$', 'description': 'A month, YYYY-MM.'}, 'datetime': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'period': {'type': 'object', 'description': 'A closed date range.', 'required': ['from', 'to'], 'additionalProperties': False, 'properties': {'from': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'to': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}}}, 'frequency': {'enum': ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual'], 'description': 'How often the control operates or is tested.'}, 'refresh': {'description': 'When evidence goes stale after it was collected: a frequency word or a duration such as 90d, 12w, 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'https_url': {'type': 'string', 'pattern': '^https://[^\\s<>"\']+(?!\\n)$', 'description': 'An https:// address.'}, 'contact_url': {'type': 'string', 'pattern': '^(mailto:[^\\s<>"\']+@[^\\s<>"\']+|https://[^\\s<>"\']+)(?!\\n)$', 'description': 'A mailto: address or an https:// page.'}, 'site_path': {'type': 'string', 'pattern': '^(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._~+/-]+(?!\\n)$', 'description': "A path relative to site/: letters, digits and . _ ~ + - /, without '..' (it is written into the pages as is)."}, 'access': {'enum': ['public', 'on-request', 'nda']}}}, rule='required')
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            if not isinstance(data__id, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".id must be string", value=data__id, name="" + (name_prefix or "data") + ".id", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$', 'not': {'enum': ['index', 'readme']}, 'description': "Unique among the policies, e.g. access-control: lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters. It is the address of the policy's page (policies/ID/), so it is never index or readme, and has no capitals, which web servers and file systems may ignore."}, rule='type')
            try:
                if not (isinstance(data__id, str) and data__id == 'index' or isinstance(data__id, str) and data__id == 'readme'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".id must be one of ['index', 'readme']", value=data__id, name="" + (name_prefix or "data") + ".id", definition={'enum': ['index', 'readme']}, rule='enum')
            except (JsonSchemaValueException, JsonSchemaValuesException): pass
            else:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".id must NOT match a disallowed definition", value=data__id, name="" + (name_prefix or "data") + ".id", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$', 'not': {'enum': ['index', 'readme']}, 'description': "Unique among the policies, e.g. access-control: lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters. It is the address of the policy's page (policies/ID/), so it is never index or readme, and has no capitals, which web servers and file systems may ignore."}, rule='not')
            if isinstance(data__id, str):
                if not REGEX_PATTERNS['^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$'].search(data__id):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".id must match pattern ^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$", value=data__id, name="" + (name_prefix or "data") + ".id", definition={'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$', 'not': {'enum': ['index', 'readme']}, 'description': "Unique among the policies, e.g. access-control: lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters. It is the address of the policy's page (policies/ID/), so it is never index or readme, and has no capitals, which web servers and file systems may ignore."}, rule='pattern')
        if "title" in data_keys:
            data_keys.remove("title")
            data__title = data["title"]
            if not isinstance(data__title, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".title must be string", value=data__title, name="" + (name_prefix or "data") + ".title", definition={'type': 'string', 'pattern': '\\S', 'description': "The policy's title, as customers see it (some text, not blank)."}, rule='type')
            if isinstance(data__title, str):
                if not REGEX_PATTERNS['\\S'].search(data__title):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".title must match pattern \\S", value=data__title, name="" + (name_prefix or "data") + ".title", definition={'type': 'string', 'pattern': '\\S', 'description': "The policy's title, as customers see it (some text, not blank)."}, rule='pattern')
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            if not isinstance(data__version, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be string", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'type': 'string', 'minLength': 1, 'maxLength': 32, 'pattern': '^[0-9A-Za-z][0-9A-Za-z._-]*$', 'description': 'The version customers see, e.g. 2.1.'}, rule='type')
            if isinstance(data__version, str):
                data__version_len = len(data__version)
                if data__version_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be longer than or equal to 1 characters", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'type': 'string', 'minLength': 1, 'maxLength': 32, 'pattern': '^[0-9A-Za-z][0-9A-Za-z._-]*$', 'description': 'The version customers see, e.g. 2.1.'}, rule='minLength')
                if data__version_len > 32:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be shorter than or equal to 32 characters", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'type': 'string', 'minLength': 1, 'maxLength': 32, 'pattern': '^[0-9A-Za-z][0-9A-Za-z._-]*$', 'description': 'The version customers see, e.g. 2.1.'}, rule='maxLength')
                if not REGEX_PATTERNS['^[0-9A-Za-z][0-9A-Za-z._-]*$'].search(data__version):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must match pattern ^[0-9A-Za-z][0-9A-Za-z._-]*$", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'type': 'string', 'minLength': 1, 'maxLength': 32, 'pattern': '^[0-9A-Za-z][0-9A-Za-z._-]*$', 'description': 'The version customers see, e.g. 2.1.'}, rule='pattern')
        if "owner" in data_keys:
            data_keys.remove("owner")
            data__owner = data["owner"]
            if not isinstance(data__owner, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".owner must be string", value=data__owner, name="" + (name_prefix or "data") + ".owner", definition={'type': 'string', 'pattern': '\\S', 'description': 'Who answers for the policy, not blank (internal: never published).'}, rule='type')
            if isinstance(data__owner, str):
                if not REGEX_PATTERNS['\\S'].search(data__owner):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".owner must match pattern \\S", value=data__owner, name="" + (name_prefix or "data") + ".owner", definition={'type': 'string', 'pattern': '\\S', 'description': 'Who answers for the policy, not blank (internal: never published).'}, rule='pattern')
        if "approved_by" in data_keys:
            data_keys.remove("approved_by")
            data__approvedby = data["approved_by"]
            if not isinstance(data__approvedby, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".approved_by must be string", value=data__approvedby, name="" + (name_prefix or "data") + ".approved_by", definition={'type': 'string', 'pattern': '\\S', 'description': 'Who approved this version, not blank (internal: never published). Set by `plaintrust policy approve`.'}, rule='type')
            if isinstance(data__approvedby, str):
                if not REGEX_PATTERNS['\\S'].search(data__approvedby):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".approved_by must match pattern \\S", value=data__approvedby, name="" + (name_prefix or "data") + ".approved_by", definition={'type': 'string', 'pattern': '\\S', 'description': 'Who approved this version, not blank (internal: never published). Set by `plaintrust policy approve`.'}, rule='pattern')
        if "approved_on" in data_keys:
            data_keys.remove("approved_on")
            data__approvedon = data["approved_on"]
            validate____defs_date(data__approvedon, custom_formats, (name_prefix or "data") + ".approved_on")
        if "review" in data_keys:
            data_keys.remove("review")
            data__review = data["review"]
            data__review_any_of_count1 = 0
            if not data__review_any_of_count1:
                try:
                    if not (isinstance(data__review, str) and data__review == 'daily' or isinstance(data__review, str) and data__review == 'weekly' or isinstance(data__review, str) and data__review == 'monthly' or isinstance(data__review, str) and data__review == 'quarterly' or isinstance(data__review, str) and data__review == 'semiannual' or isinstance(data__review, str) and data__review == 'annual'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".review must be one of ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']", value=data__review, name="" + (name_prefix or "data") + ".review", definition={'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, rule='enum')
                    data__review_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__review_any_of_count1:
                try:
                    if not isinstance(data__review, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".review must be string", value=data__review, name="" + (name_prefix or "data") + ".review", definition={'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}, rule='type')
                    if isinstance(data__review, str):
                        if not REGEX_PATTERNS['^[1-9][0-9]{0,3}[dwmy](?!\\n)$'].search(data__review):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".review must match pattern ^[1-9][0-9]{0,3}[dwmy](?!\\n)$", value=data__review, name="" + (name_prefix or "data") + ".review", definition={'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}, rule='pattern')
                    data__review_any_of_count1 += 1
                except (JsonSchemaValueException, JsonSchemaValuesException): pass
            if not data__review_any_of_count1:
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".review cannot be validated by any definition", value=data__review, name="" + (name_prefix or "data") + ".review", definition={'description': 'How often the policy is reviewed, counted from `approved_on`: a frequency word (monthly, quarterly, semiannual, annual) or a duration such as 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, rule='anyOf')
        if "effective" in data_keys:
            data_keys.remove("effective")
            data__effective = data["effective"]
            validate____defs_date(data__effective, custom_formats, (name_prefix or "data") + ".effective")
        if "change" in data_keys:
            data_keys.remove("change")
            data__change = data["change"]
            if not isinstance(data__change, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".change must be string", value=data__change, name="" + (name_prefix or "data") + ".change", definition={'type': 'string', 'maxLength': 200, 'pattern': '^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$', 'description': "One line of text, public, at most 200 characters: what this version changed. The trust center's change history shows it per version."}, rule='type')
            if isinstance(data__change, str):
                data__change_len = len(data__change)
                if data__change_len > 200:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".change must be shorter than or equal to 200 characters", value=data__change, name="" + (name_prefix or "data") + ".change", definition={'type': 'string', 'maxLength': 200, 'pattern': '^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$', 'description': "One line of text, public, at most 200 characters: what this version changed. The trust center's change history shows it per version."}, rule='maxLength')
                if not REGEX_PATTERNS['^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$'].search(data__change):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".change must match pattern ^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$", value=data__change, name="" + (name_prefix or "data") + ".change", definition={'type': 'string', 'maxLength': 200, 'pattern': '^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$', 'description': "One line of text, public, at most 200 characters: what this version changed. The trust center's change history shows it per version."}, rule='pattern')
        if "satisfies" in data_keys:
            data_keys.remove("satisfies")
            data__satisfies = data["satisfies"]
            if not isinstance(data__satisfies, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".satisfies must be object", value=data__satisfies, name="" + (name_prefix or "data") + ".satisfies", definition={'type': 'object', 'description': 'Framework id (from program.yaml) -> requirement ids of its catalog, as for controls.', 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'additionalProperties': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}}, rule='type')
            data__satisfies_is_dict = isinstance(data__satisfies, dict)
            if data__satisfies_is_dict:
                data__satisfies_keys = set(data__satisfies.keys())
                for data__satisfies_key in data__satisfies_keys:
                    if data__satisfies_key not in []:
                        data__satisfies_value = data__satisfies.get(data__satisfies_key)
                        if not isinstance(data__satisfies_value, (list, tuple)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}".format(**locals()) + " must be array", value=data__satisfies_value, name="" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}, rule='type')
                        data__satisfies_value_is_list = isinstance(data__satisfies_value, (list, tuple))
                        if data__satisfies_value_is_list:
                            data__satisfies_value_len = len(data__satisfies_value)
                            if data__satisfies_value_len < 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}".format(**locals()) + " must contain at least 1 items", value=data__satisfies_value, name="" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}, rule='minItems')
                            def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                            if data__satisfies_value_len > len(set(fn(data__satisfies_value_x) for data__satisfies_value_x in data__satisfies_value)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}".format(**locals()) + " must contain unique items", value=data__satisfies_value, name="" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}".format(**locals()) + "", definition={'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}, rule='uniqueItems')
                            for data__satisfies_value_x, data__satisfies_value_item in enumerate(data__satisfies_value):
                                if not isinstance(data__satisfies_value_item, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}[{data__satisfies_value_x}]".format(**locals()) + " must be string", value=data__satisfies_value_item, name="" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}[{data__satisfies_value_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                                if isinstance(data__satisfies_value_item, str):
                                    data__satisfies_value_item_len = len(data__satisfies_value_item)
                                    if data__satisfies_value_item_len < 1:
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}[{data__satisfies_value_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__satisfies_value_item, name="" + (name_prefix or "data") + ".satisfies.{data__satisfies_key}[{data__satisfies_value_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                data__satisfies_len = len(data__satisfies)
                if data__satisfies_len != 0:
                    data__satisfies_property_names = True
                    for data__satisfies_key in data__satisfies:
                        try:
                            validate____defs_id(data__satisfies_key, custom_formats, (name_prefix or "data") + ".satisfies")
                        except (JsonSchemaValueException, JsonSchemaValuesException):
                            data__satisfies_property_names = False
                    if not data__satisfies_property_names:
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".satisfies must be named by propertyName definition", value=data__satisfies, name="" + (name_prefix or "data") + ".satisfies", definition={'type': 'object', 'description': 'Framework id (from program.yaml) -> requirement ids of its catalog, as for controls.', 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'additionalProperties': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}}, rule='propertyNames')
        if "public" in data_keys:
            data_keys.remove("public")
            data__public = data["public"]
            if not (isinstance(data__public, str) and data__public == 'full' or isinstance(data__public, str) and data__public == 'summary' or isinstance(data__public, str) and data__public == 'none'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".public must be one of ['full', 'summary', 'none']", value=data__public, name="" + (name_prefix or "data") + ".public", definition={'enum': ['full', 'summary', 'none'], 'description': 'What the trust center shows: the full text, the summary only, or nothing.'}, rule='enum')
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            if not isinstance(data__summary, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".summary must be string", value=data__summary, name="" + (name_prefix or "data") + ".summary", definition={'type': 'string', 'pattern': '\\S', 'description': 'A plain-language summary for customers (some text, not blank); required when `public` is summary.'}, rule='type')
            if isinstance(data__summary, str):
                if not REGEX_PATTERNS['\\S'].search(data__summary):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".summary must match pattern \\S", value=data__summary, name="" + (name_prefix or "data") + ".summary", definition={'type': 'string', 'pattern': '\\S', 'description': 'A plain-language summary for customers (some text, not blank); required when `public` is summary.'}, rule='pattern')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'title': 'Plaintrust policy front matter', 'description': 'The YAML front matter of policies/**/*.md. `owner` and `approved_by` are internal; the rest is public when `public` allows. Without `approved_on` and `approved_by` the policy is a draft: checked, never published.', 'type': 'object', 'required': ['id', 'title', 'version', 'owner', 'review', 'effective', 'public'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^[a-z0-9][a-z0-9-]{0,63}(?!\\n)$', 'not': {'enum': ['index', 'readme']}, 'description': "Unique among the policies, e.g. access-control: lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters. It is the address of the policy's page (policies/ID/), so it is never index or readme, and has no capitals, which web servers and file systems may ignore."}, 'title': {'type': 'string', 'pattern': '\\S', 'description': "The policy's title, as customers see it (some text, not blank)."}, 'version': {'type': 'string', 'minLength': 1, 'maxLength': 32, 'pattern': '^[0-9A-Za-z][0-9A-Za-z._-]*$', 'description': 'The version customers see, e.g. 2.1.'}, 'owner': {'type': 'string', 'pattern': '\\S', 'description': 'Who answers for the policy, not blank (internal: never published).'}, 'approved_by': {'type': 'string', 'pattern': '\\S', 'description': 'Who approved this version, not blank (internal: never published). Set by `plaintrust policy approve`.'}, 'approved_on': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'review': {'description': 'How often the policy is reviewed, counted from `approved_on`: a frequency word (monthly, quarterly, semiannual, annual) or a duration such as 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'effective': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'change': {'type': 'string', 'maxLength': 200, 'pattern': '^[^\\r\\n]*\\S[^\\r\\n]*(?!\\n)$', 'description': "One line of text, public, at most 200 characters: what this version changed. The trust center's change history shows it per version."}, 'satisfies': {'type': 'object', 'description': 'Framework id (from program.yaml) -> requirement ids of its catalog, as for controls.', 'propertyNames': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'additionalProperties': {'type': 'array', 'minItems': 1, 'uniqueItems': True, 'items': {'type': 'string', 'minLength': 1}}}, 'public': {'enum': ['full', 'summary', 'none'], 'description': 'What the trust center shows: the full text, the summary only, or nothing.'}, 'summary': {'type': 'string', 'pattern': '\\S', 'description': 'A plain-language summary for customers (some text, not blank); required when `public` is summary.'}}, 'allOf': [{'if': {'properties': {'public': {'const': 'summary'}}, 'required': ['public']}, 'then': {'required': ['summary']}}, {'if': {'required': ['approved_on']}, 'then': {'required': ['approved_by']}}, {'if': {'required': ['approved_by']}, 'then': {'required': ['approved_on']}}], '$defs': {'id': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, 'text': {'type': 'string', 'minLength': 1}, 'date': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'month': {'type': 'string', 'pattern': '^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])(?!\\n)$', 'description': 'A month, YYYY-MM.'}, 'datetime': {'type': 'string', 'format': 'date-time', 'description': 'A moment with its time zone, e.g. 2026-11-20T14:30:00Z or 2026-11-20T15:30:00+01:00.'}, 'period': {'type': 'object', 'description': 'A closed date range.', 'required': ['from', 'to'], 'additionalProperties': False, 'properties': {'from': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, 'to': {'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}}}, 'frequency': {'enum': ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual'], 'description': 'How often the control operates or is tested.'}, 'refresh': {'description': 'When evidence goes stale after it was collected: a frequency word or a duration such as 90d, 12w, 6m or 1y.', 'anyOf': [{'enum': ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual']}, {'type': 'string', 'pattern': '^[1-9][0-9]{0,3}[dwmy](?!\\n)$'}]}, 'https_url': {'type': 'string', 'pattern': '^https://[^\\s<>"\']+(?!\\n)$', 'description': 'An https:// address.'}, 'contact_url': {'type': 'string', 'pattern': '^(mailto:[^\\s<>"\']+@[^\\s<>"\']+|https://[^\\s<>"\']+)(?!\\n)$', 'description': 'A mailto: address or an https:// page.'}, 'site_path': {'type': 'string', 'pattern': '^(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._~+/-]+(?!\\n)$', 'description': "A path relative to site/: letters, digits and . _ ~ + - /, without '..' (it is written into the pages as is)."}, 'access': {'enum': ['public', 'on-request', 'nda']}}}, rule='additionalProperties')
    return data

def validate____defs_id(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, rule='type')
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\\n)$', 'description': "An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters."}, rule='pattern')
    return data

def validate____defs_date(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, rule='type')
    if isinstance(data, str):
        if not custom_formats["date"](data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be date", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'string', 'format': 'date', 'description': 'A calendar date, YYYY-MM-DD.'}, rule='format')
    return data

"""``GET livechat/config`` (§3.1)."""

from __future__ import annotations

from typing import Any

from ..state import ServerState
from ..store import Doc
from . import routing, triggers, users, visitors

#: ``theme.actionLinks`` as ``settings()`` builds it (``apps/meteor/app/livechat/server/api/lib/
#: livechat.ts``; the labels are ``i18n.t('Join_call')`` / ``i18n.t('End_call')`` in English)
ACTION_LINKS = {
    "webrtc": [
        {
            "actionLinksAlignment": "flex-start",
            "i18nLabel": "Join_call",
            "label": "Join call",
            "method_id": "joinLivechatWebRTCCall",
        },
        {
            "i18nLabel": "End_call",
            "label": "End call",
            "method_id": "endLivechatWebRTCCall",
            "danger": True,
        },
    ],
    "jitsi": [
        {"icon": "icon-videocam", "i18nLabel": "Accept"},
        {"icon": "icon-cancel", "i18nLabel": "Decline"},
    ],
}
SURVEY = {
    "items": ["satisfaction", "agentKnowledge", "agentResposiveness", "agentFriendliness"],
    "values": ["1", "2", "3", "4", "5"],
}


def _settings_block(state: ServerState) -> Doc:
    s = state.settings
    limit: Any = False
    if s["Livechat_enable_message_character_limit"]:
        limit = int(s["Livechat_message_character_limit"]) or int(s["Message_MaxAllowedSize"])
    return {
        "registrationForm": s["Livechat_registration_form"],
        "allowSwitchingDepartments": s["Livechat_allow_switching_departments"],
        "nameFieldRegistrationForm": s["Livechat_name_field_registration_form"],
        "emailFieldRegistrationForm": s["Livechat_email_field_registration_form"],
        "displayOfflineForm": s["Livechat_display_offline_form"],
        "videoCall": s["Omnichannel_call_provider"] == "default-provider",
        "fileUpload": bool(s["Livechat_fileupload_enabled"] and s["FileUpload_Enabled"]),
        "language": s["Language"],
        "transcript": s["Livechat_enable_transcript"],
        "historyMonitorType": s["Livechat_history_monitor_type"],
        "forceAcceptDataProcessingConsent": s["Livechat_force_accept_data_processing_consent"],
        "showConnecting": s["Livechat_Routing_Method"] == "Manual_Selection",
        "agentHiddenInfo": not s["Livechat_show_agent_info"],
        "clearLocalStorageWhenChatEnded": s["Livechat_clear_local_storage_when_chat_ended"],
        "limitTextLength": limit,
        "hiddenSystemMessages": s["Livechat_hide_system_messages"],
        "livechatLogo": s["Livechat_widget_logo"] or None,
        "hideWatermark": s["Livechat_hide_watermark"],
        "visitorsCanCloseChat": s["Omnichannel_allow_visitors_to_close_conversation"],
    }


def _theme(state: ServerState) -> Doc:
    s = state.settings
    return {
        "title": s["Livechat_title"],
        "color": s["Livechat_title_color"],
        "offlineTitle": s["Livechat_offline_title"],
        "offlineColor": s["Livechat_offline_title_color"],
        "position": s["Livechat_widget_position"],
        "background": s["Livechat_background"],
        "actionLinks": ACTION_LINKS,
    }


def _messages(state: ServerState) -> Doc:
    s = state.settings
    return {
        "offlineMessage": s["Livechat_offline_message"],
        "offlineSuccessMessage": s["Livechat_offline_success_message"],
        "offlineUnavailableMessage": s["Livechat_offline_form_unavailable"],
        "conversationFinishedMessage": s["Livechat_conversation_finished_message"],
        "conversationFinishedText": s["Livechat_conversation_finished_text"],
        "transcriptMessage": s["Livechat_transcript_message"],
        "registrationFormMessage": s["Livechat_registration_form_message"],
        "dataProcessingConsentText": s["Livechat_data_processing_consent_text"],
    }


def _departments(state: ServerState) -> list[Doc]:
    result = []
    for dept in state.store.departments.find({"enabled": True}, sort=[("name", 1)]):
        if routing.department_agent_ids(state, dept["_id"]):
            result.append(
                {
                    "_id": dept["_id"],
                    "name": dept["name"],
                    "showOnRegistration": dept.get("showOnRegistration", True),
                    "showOnOfflineForm": dept.get("showOnOfflineForm", True),
                }
            )
    return result


def _custom_fields(state: ServerState) -> list[Doc]:
    keys = ("_id", "label", "regexp", "required", "type", "defaultValue", "options")
    return [
        {k: f[k] for k in keys if k in f}
        for f in state.store.custom_fields.find({"scope": "visitor"}, sort=[("_id", 1)])
        if f.get("visibility") == "visible" and f.get("public")
    ]


def _visitor_part(state: ServerState, token: str) -> Doc:
    visitor = visitors.find_by_token(state, token)
    if visitor is None:
        return {}
    keys = ("_id", "name", "username", "token", "visitorEmails", "department")
    part: Doc = {"guest": {k: visitor[k] for k in keys if k in visitor}}
    rooms = visitors.open_rooms(state, token)
    if rooms:
        room = rooms[0]
        part["room"] = {
            k: room[k]
            for k in ("_id", "departmentId", "servedBy", "open", "callStatus")
            if k in room
        }
        served = room.get("servedBy")
        agent = state.store.users.get(served["_id"]) if served else None
        if agent is not None:
            part["agent"] = users.agent_info(state, agent)
    return part


def build_config(state: ServerState, token: str | None, department: str | None) -> Doc:
    """The ``config`` object for a visitor (token/department optional)."""
    if not state.settings["Livechat_enabled"]:
        return {"enabled": False}
    site = str(state.settings["Site_Url"]).rstrip("/")
    config: Doc = {
        "enabled": True,
        "settings": _settings_block(state),
        "theme": _theme(state),
        "messages": _messages(state),
        "survey": SURVEY,
        "triggers": triggers.for_widget(state),
        "departments": _departments(state),
        "resources": {"sound": f"{site}/sounds/chime.mp3", "emojis": []},
        "online": routing.is_online(state, department),
        "customFields": _custom_fields(state),
    }
    if token:
        config.update(_visitor_part(state, token))
    return config


_ROUTING_CONFIGS: dict[str, dict[str, bool]] = {
    # apps/meteor/app/livechat/server/lib/routing/ManualSelection.ts
    "Manual_Selection": {
        "previewRoom": True,
        "showConnecting": True,
        "showQueue": True,
        "showQueueLink": False,
        "returnQueue": True,
        "enableTriggerAction": False,
        "autoAssignAgent": False,
    },
    # apps/meteor/app/livechat/server/lib/routing/AutoSelection.ts
    "Auto_Selection": {
        "previewRoom": False,
        "showConnecting": False,
        "showQueue": False,
        "showQueueLink": True,
        "returnQueue": False,
        "enableTriggerAction": True,
        "autoAssignAgent": True,
    },
}


def routing_config(state: ServerState) -> dict[str, bool]:
    """``RoutingManager.getConfig()``: the current routing method's ``config``."""
    return dict(_ROUTING_CONFIGS.get(state.settings["Livechat_Routing_Method"], {}))

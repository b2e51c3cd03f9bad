"""Rocket.Chat settings by their real names, with Rocket.Chat's defaults.

The defaults come from ``apps/meteor/server/settings/omnichannel.ts`` and its neighbours.

Values live in the ``settings`` collection (``{"_id": name, "value": ..., "type": ...}``) and are
cached in memory; :meth:`Settings.set` writes through. Unknown names are refused by
:meth:`Settings.set` so a typo cannot silently create a setting that nothing reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .store import Store

DEFAULTS: dict[str, Any] = {
    # general / REST
    "Site_Url": "http://localhost:3000",
    "Site_Name": "Rocket.Chat",
    "Language": "en",
    "API_Default_Count": 50,
    "API_Upper_Count_Limit": 100,
    "API_Enable_Rate_Limiter": True,
    "API_Enable_Rate_Limiter_Dev": True,
    "API_Enable_Rate_Limiter_Limit_Calls_Default": 10,
    "API_Enable_Rate_Limiter_Limit_Time_Default": 60000,
    "API_Enable_CORS": False,
    "API_CORS_Origin": "*",
    # 2FA (apps/meteor/server/settings/accounts.ts); no user has TOTP or email 2FA here
    "Accounts_TwoFactorAuthentication_Enabled": True,
    "Accounts_TwoFactorAuthentication_By_TOTP_Enabled": True,
    "Accounts_TwoFactorAuthentication_By_Email_Enabled": True,
    "Accounts_TwoFactorAuthentication_Enforce_Password_Fallback": True,
    # avatars (unauthenticated access blocked by default since 7.0, RocketChat/Rocket.Chat#33035)
    "Accounts_AvatarBlockUnauthenticatedAccess": True,
    "Accounts_AvatarCacheTime": 3600,
    "UI_Use_Name_Avatar": False,
    "Hide_System_Messages": [],
    # messages
    "Message_AllowEditing": True,
    "Message_AllowEditing_BlockEditInMinutes": 0,
    "Message_AllowDeleting": True,
    "Message_AllowDeleting_BlockDeleteInMinutes": 0,
    "Message_KeepHistory": False,
    "Message_ShowDeletedStatus": False,
    "Message_MaxAllowedSize": 5000,
    "Message_QuoteChainLimit": 2,
    "UI_Use_Real_Name": False,
    "Message_Read_Receipt_Enabled": False,
    # files
    "FileUpload_Enabled": True,
    "FileUpload_MaxFileSize": 104857600,
    "FileUpload_MediaTypeWhiteList": "",
    "FileUpload_MediaTypeBlackList": "image/svg+xml",
    "FileUpload_ProtectFiles": True,
    "FileUpload_Restrict_to_room_members": True,
    "FileUpload_Restrict_to_users_who_can_access_room": False,
    "FileUpload_Enable_json_web_token_for_files": False,
    # livechat
    "Livechat_enabled": True,
    "Livechat_title": "Rocket.Chat",
    "Livechat_title_color": "#C1272D",
    "Livechat_offline_title": "Leave a message",
    "Livechat_offline_title_color": "#666666",
    "Livechat_widget_position": "right",
    "Livechat_background": "",
    "Livechat_Routing_Method": "Auto_Selection",
    "Livechat_accept_chats_with_no_agents": False,
    "Livechat_assign_new_conversation_to_bot": False,
    "Livechat_enabled_when_agent_idle": True,
    "Livechat_registration_form": True,
    "Livechat_name_field_registration_form": True,
    "Livechat_email_field_registration_form": True,
    "Livechat_registration_form_message": "",
    "Livechat_allow_switching_departments": True,
    "Livechat_request_comment_when_closing_conversation": True,
    "Livechat_enable_transcript": False,
    "Livechat_transcript_send_always": False,
    "Livechat_transcript_message": "Would you like a copy of this chat emailed?",
    "Livechat_fileupload_enabled": True,
    "Livechat_enable_message_character_limit": False,
    "Livechat_message_character_limit": 0,
    "Livechat_show_agent_info": True,
    "Livechat_show_agent_email": True,
    "Livechat_display_offline_form": True,
    "Livechat_validate_offline_email": True,
    "Livechat_offline_email": "",
    "Livechat_offline_message": "",
    "Livechat_offline_success_message": "",
    "Livechat_offline_form_unavailable": "",
    "Livechat_conversation_finished_message": "",
    "Livechat_conversation_finished_text": "",
    "Livechat_data_processing_consent_text": "",
    "Livechat_force_accept_data_processing_consent": False,
    "Livechat_history_monitor_type": "url",
    "Livechat_Visitor_navigation_as_a_message": False,
    "Livechat_Allow_collect_and_store_HTTP_header_informations": False,
    "Livechat_guest_count": 1,
    "Livechat_Room_Count": 1,
    "Livechat_clear_local_storage_when_chat_ended": False,
    "Livechat_hide_system_messages": ["uj", "ul", "livechat-close"],
    "Livechat_widget_logo": "",
    "Livechat_AllowedDomainsList": "",
    "Livechat_hide_watermark": False,
    "Livechat_hide_expand_chat": False,
    "Livechat_waiting_queue": False,
    "Livechat_waiting_queue_message": "",
    "Livechat_maximum_chats_per_agent": 0,
    "Livechat_enable_business_hours": False,
    # CRM integration (webhooks), section CRM_Integration of server/settings/omnichannel.ts
    "Livechat_webhookUrl": "",
    "Livechat_secret_token": "",
    "Livechat_webhook_on_start": False,
    "Livechat_webhook_on_close": False,
    "Livechat_webhook_on_chat_taken": False,
    "Livechat_webhook_on_chat_queued": False,
    "Livechat_webhook_on_forward": False,
    "Livechat_webhook_on_offline_msg": False,
    "Livechat_webhook_on_visitor_message": False,
    "Livechat_webhook_on_agent_message": False,
    "Send_visitor_navigation_history_livechat_webhook_request": False,
    "Livechat_webhook_on_capture": False,
    "Livechat_lead_email_regex": r"\b[A-Z0-9._%+-]+@(?:[A-Z0-9-]+\.)+[A-Z]{2,4}\b",
    "Livechat_lead_phone_regex": (
        r"((?:\([0-9]{1,3}\)|[0-9]{2})[ \-]*?[0-9]{4,5}(?:[\-\s\_]{1,2})?[0-9]{4}"
        r"(?:(?=[^0-9])|$)|[0-9]{4,5}(?:[\-\s\_]{1,2})?[0-9]{4}(?:(?=[^0-9])|$))"
    ),
    "Livechat_http_timeout": 5000,
    "Omnichannel_allow_visitors_to_close_conversation": True,
    "Omnichannel_allow_force_close_conversations": False,
    "Omnichannel_calculate_dispatch_service_queue_statistics": True,
    "Omnichannel_sorting_mechanism": "Timestamp",
    "Omnichannel_queue_delay_timeout": 5,
    "Omnichannel_call_provider": "none",
    "Omnichannel_enable_department_removal": False,
    "Livechat_visitor_inactivity_timeout": 3600,
    # SMS (apps/meteor/server/settings/sms.ts)
    "SMS_Enabled": False,
    "SMS_Service": "twilio",
    "SMS_Default_Omnichannel_Department": "",
    "SMS_Twilio_Account_SID": "",
    "SMS_Twilio_authToken": "",
}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "int"
    if isinstance(value, list):
        return "multiSelect"
    return "string"


class Settings:
    """Typed access to settings. ``settings["Livechat_enabled"]`` reads, :meth:`set` writes."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self._values: dict[str, Any] = dict(DEFAULTS)
        for doc in store.settings.find():
            self._values[doc["_id"]] = doc["value"]

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def get(self, name: str, default: Any = None) -> Any:
        """The value, or ``default`` for an unknown name."""
        return self._values.get(name, default)

    def set(self, name: str, value: Any) -> None:
        """Persist a new value for a known setting (``KeyError`` for unknown names)."""
        if name not in DEFAULTS:
            raise KeyError(name)
        with self._store.transaction():  # one lock for settings and store: no lock ordering
            self._values[name] = value
            self._store.settings.save(self.document(name))

    def update(self, values: Mapping[str, Any]) -> None:
        """Set several values."""
        for name, value in values.items():
            self.set(name, value)

    def increment(self, name: str) -> int:
        """Add 1 to an integer setting and return the new value (``Livechat_guest_count``)."""
        with self._store.transaction():
            value = int(self._values[name]) + 1
            self._values[name] = value
            self._store.settings.save(self.document(name))
            return value

    def document(self, name: str) -> dict[str, Any]:
        """The setting as Rocket.Chat returns it from ``GET settings/:_id``."""
        value = self._values[name]
        return {
            "_id": name,
            "value": value,
            "type": _type_of(DEFAULTS.get(name, value)),
            "packageValue": DEFAULTS.get(name),
            "_updatedAt": self._clock(),
        }

"""Bridge an outside channel (WhatsApp, Telegram, SMS, e-mail, an app) to Omnichannel.

::

    from rocketchat_livechat import AsyncLivechatClient
    from rocketchat_livechat.bridge import LivechatBridge

    client = AsyncLivechatClient("https://chat.example.com")
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="sqlite:///bridge.db")

    await bridge.deliver(contact_id, text="oi", external_id=wa_message_id, name="Maria")

    @bridge.on_agent_message
    async def send_out(contact_id, message):
        await whatsapp.send(contact_id, message.text)

    # and, in the webhook endpoint Rocket.Chat calls (Livechat_webhookUrl):
    await bridge.handle_webhook(payload)
"""

from ._bridge import AgentMessage, LivechatBridge
from ._store import BridgeStore, MemoryStore, SQLiteStore

__all__ = ["AgentMessage", "BridgeStore", "LivechatBridge", "MemoryStore", "SQLiteStore"]

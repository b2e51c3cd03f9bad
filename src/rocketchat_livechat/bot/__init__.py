"""Write an Omnichannel bot or AI agent in a few lines, with hand-off to humans.

::

    from rocketchat_livechat.bot import LivechatBot

    bot = LivechatBot("https://chat.example.com", username="faq-bot", password="...")

    @bot.on_message
    async def answer(chat, message):
        if "human" in (message.msg or "").lower():
            await chat.handoff(department="Support")
        else:
            async with chat.typing():
                await chat.reply(await my_llm(await chat.history_text()))

    bot.run()
"""

from ._bot import LivechatBot
from ._chat import Chat, SyncChat

__all__ = ["Chat", "LivechatBot", "SyncChat"]

__version__ = "0.1.0"
USER_AGENT = f"rocketchat-livechat-python/{__version__}"

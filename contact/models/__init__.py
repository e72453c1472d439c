from .messages import Attachment, Conversation, Message

__all__ = ["Attachment", "Conversation", "Message"]

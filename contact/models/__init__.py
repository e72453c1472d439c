from .messages import Attachment, Conversation, Message
from .satisfaction import Satisfaction, SatisfactionChannel

__all__ = ["Attachment", "Conversation", "Message", "Satisfaction", "SatisfactionChannel"]

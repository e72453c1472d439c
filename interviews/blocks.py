"""The advice of a mock interview page (posture, soft skills, professional
communication): the project's content blocks, with callouts for tips."""

from core.blocks import BaseStreamBlock, CalloutBlock


class AdviceStreamBlock(BaseStreamBlock):
    callout = CalloutBlock()

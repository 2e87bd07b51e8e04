"""The data model: one module per aggregate, all on one declarative Base."""

from feedback.models.audit import AuditEvent
from feedback.models.base import Base
from feedback.models.cases import Alert, Case, CaseEvent, CaseScan
from feedback.models.comments import Comment, CommentNote, CommentState, CommentTheme, ThemeCorrection
from feedback.models.customer import Customer
from feedback.models.groups import DigestSent, GroupMember, StakeholderGroup, Theme, ThemeRoute, ThemeRules
from feedback.models.imports import ImportRun
from feedback.models.invitation import Invitation, InvitationTally
from feedback.models.outbox import OutboxJob
from feedback.models.purchase import Purchase, PurchaseItem
from feedback.models.recovery import CaseFollowUp
from feedback.models.response import Answer, Response
from feedback.models.staff import ROLES, ApiKey, StaffUser
from feedback.models.survey import DispatchRule, Question, Survey, SurveyVersion
from feedback.models.tiers import TierCutoff
from feedback.models.webhooks import Webhook, WebhookDelivery, WebhookScan

__all__ = [
    "ROLES",
    "Alert",
    "Answer",
    "ApiKey",
    "AuditEvent",
    "Base",
    "Case",
    "CaseEvent",
    "CaseFollowUp",
    "CaseScan",
    "Comment",
    "CommentNote",
    "CommentState",
    "CommentTheme",
    "Customer",
    "DigestSent",
    "DispatchRule",
    "GroupMember",
    "ImportRun",
    "Invitation",
    "InvitationTally",
    "OutboxJob",
    "Purchase",
    "PurchaseItem",
    "Question",
    "Response",
    "StaffUser",
    "StakeholderGroup",
    "Survey",
    "SurveyVersion",
    "Theme",
    "ThemeCorrection",
    "ThemeRoute",
    "ThemeRules",
    "TierCutoff",
    "Webhook",
    "WebhookDelivery",
    "WebhookScan",
]

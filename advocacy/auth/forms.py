from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from advocacy.validators import email_address


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), email_address, Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), email_address, Length(max=254)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=12, max=200,
                             message=_l("Use at least 12 characters."))])
    confirm = PasswordField(_l("Repeat it"), validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class SignInLinkForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), email_address, Length(max=254)])
    next = HiddenField()


class OnboardingForm(FlaskForm):
    """Choose a password now; the other button of the page asks for sign-in links instead."""
    password = PasswordField(_l("Choose a password"), validators=[Length(max=200)])
    confirm = PasswordField(_l("Repeat it"), validators=[EqualTo("password", message=_l("The two passwords differ."))])

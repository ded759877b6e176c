from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from advocacy.validators import email_address


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), email_address, Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField()


class ForgotForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), email_address, Length(max=254)])


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired(), Length(min=12, max=200,
                             message="Use at least 12 characters.")])
    confirm = PasswordField("Repeat it", validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")])


class SignInLinkForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), email_address, Length(max=254)])
    next = HiddenField()


class OnboardingForm(FlaskForm):
    """Choose a password now; the other button of the page asks for sign-in links instead."""
    password = PasswordField("Choose a password", validators=[Length(max=200)])
    confirm = PasswordField("Repeat it", validators=[EqualTo("password", message="The two passwords differ.")])

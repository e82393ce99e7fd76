"""The sign-in form: Django's, with the user name's length checked."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

# No account has a longer name. Django's form shows the limit on the field but does not check
# it, and the lockout's record of a failed attempt (django-axes) cannot store a longer one: a
# server error where the answer is "wrong name or password".
USERNAME_MOST = get_user_model()._meta.get_field("username").max_length


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MOST))

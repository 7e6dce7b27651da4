from django.contrib.auth import get_user_model
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt import serializers as jwt_serializers


class UserSerializer(serializers.ModelSerializer):
    is_organiser = serializers.BooleanField(read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "email", "username", "first_name", "last_name", "is_organiser"]
        read_only_fields = fields


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField()
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z", max_length=150,
        error_messages={"invalid": "Use only letters, digits and @ . + - _ in the username."},
    )
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")

    def validate_email(self, value):
        value = value.strip().lower()
        if get_user_model().objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError("An account with this email address already exists.")
        return value

    def validate_username(self, value):
        if get_user_model().objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("This username is taken.")
        return value

    def validate(self, attrs):
        candidate = get_user_model()(username=attrs["username"], email=attrs["email"])
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from error
        return attrs


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """Refresh a token pair, rejecting a deleted user's token with 401 as for an inactive user."""

    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except get_user_model().DoesNotExist as error:
            raise AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account") from error

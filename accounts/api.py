from django.db import IntegrityError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt import views as jwt_views

from accounts import services
from accounts.serializers import RegistrationSerializer, UserSerializer

THROTTLED = OpenApiResponse(description="Too many requests; the Retry-After header gives the seconds to wait.")
TOKEN_PAIR = inline_serializer(
    name="TokenPair", fields={"access": serializers.CharField(), "refresh": serializers.CharField()},
)
BAD_TOKEN = OpenApiResponse(description="The token is invalid, expired, blacklisted, or its user is inactive.")


class RegisterAPIView(generics.GenericAPIView):
    """Create an attendee account. The response never contains the password."""

    serializer_class = RegistrationSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(
        summary="Register",
        responses={
            201: UserSerializer,
            400: OpenApiResponse(description="Invalid field, weak password, or email or username taken."),
            429: THROTTLED,
        },
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = services.register_user(
                username=data["username"], email=data["email"], password=data["password"],
                first_name=data["first_name"], last_name=data["last_name"],
            )
        except IntegrityError as error:
            # Two registrations for the same name raced past validation; the constraint decided.
            raise serializers.ValidationError({"username": ["This username or email is taken."]}) from error
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(summary="The caller's account", responses={200: UserSerializer, 401: BAD_TOKEN}))
class MeAPIView(generics.RetrieveAPIView):
    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user


@extend_schema_view(post=extend_schema(
    summary="Log in",
    description="Issue an access and a refresh token. Accepts JSON or a form-encoded body.",
    responses={
        200: TOKEN_PAIR,
        401: OpenApiResponse(description="Wrong username or password, or an inactive account."),
        429: THROTTLED,
    },
))
class TokenObtainView(jwt_views.TokenObtainPairView):
    """Issue an access and a refresh token for a username (or email) and password."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


@extend_schema_view(post=extend_schema(
    summary="Refresh tokens",
    description="Return a new access token and a new refresh token; the refresh token sent is blacklisted.",
    responses={200: TOKEN_PAIR, 401: BAD_TOKEN, 429: THROTTLED},
))
class TokenRefreshView(jwt_views.TokenRefreshView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"


@extend_schema_view(post=extend_schema(
    summary="Log out",
    description="Blacklist a refresh token so that it can no longer be refreshed.",
    responses={200: OpenApiResponse(description="The token is blacklisted."), 401: BAD_TOKEN},
))
class TokenBlacklistView(jwt_views.TokenBlacklistView):
    """Blacklist a refresh token (log out of the API)."""

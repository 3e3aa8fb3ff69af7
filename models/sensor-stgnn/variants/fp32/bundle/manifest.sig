{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "7M0UNGqUgOA3nJS\u002Bp3BIHSXVfnGBwuUJ7sE7EMrlSsb4qhKrGDvRBIle0fB9TD9LdLNQmjSYpUJIjvUXZgLnVg=="
}
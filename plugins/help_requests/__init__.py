"""Help requests and inquiries (业主求助服务, spec 2.19): the knowledge base of standard answers
(服务口径), help requests, emergency calls and written inquiries with the reply limits of 002 Help
Art.4-9."""
